package io.manifold.core.logs;

import io.manifold.core.CborSerializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of an app's log, as Logplex carries it: when, which source ({@code app} for what dynos
 * print and API events, {@code heroku} for the platform), which process ({@code web.1},
 * {@code router}, {@code api}) and the message.
 */
public record LogLine(Instant time, String source, String process, String message) implements CborSerializable {
  public static final String APP = "app";
  public static final String HEROKU = "heroku";

  /** Logplex splits longer dyno lines into chunks of this many bytes, each a line of its own. */
  public static final int MAX_MESSAGE_BYTES = 10_000;

  /** RFC 5424 time with microseconds and a numeric offset, as {@code heroku logs} prints it. */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

  public static LogLine app(Instant time, String process, String message) {
    return new LogLine(time, APP, process, message);
  }

  public static LogLine heroku(Instant time, String process, String message) {
    return new LogLine(time, HEROKU, process, message);
  }

  /** {@code 2026-11-29T10:00:00.123456+00:00 app[web.1]: message}. */
  public String format() {
    return TIME.format(time) + " " + source + "[" + process + "]: " + message;
  }

  /** The prefix {@code app[web.1]:} without the time, as colourisers key on it. */
  public String tag() {
    return source + "[" + process + "]";
  }

  /**
   * Splits a message into Logplex-sized chunks of at most {@link #MAX_MESSAGE_BYTES} UTF-8 bytes,
   * never inside a character.
   */
  public static List<String> chunks(String message) {
    if (message.length() <= MAX_MESSAGE_BYTES / 3) {
      return List.of(message); // a char is at most 3 UTF-8 bytes: no need to encode it to know
    }
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_MESSAGE_BYTES) {
      return List.of(message);
    }
    List<String> out = new ArrayList<>();
    int start = 0;
    while (start < bytes.length) {
      int end = Math.min(start + MAX_MESSAGE_BYTES, bytes.length);
      while (end < bytes.length && (bytes[end] & 0xC0) == 0x80) {
        end--; // back off to the start of a UTF-8 character
      }
      out.add(new String(bytes, start, end - start, StandardCharsets.UTF_8));
      start = end;
    }
    return out;
  }

  @Override
  public String toString() {
    return format();
  }
}
