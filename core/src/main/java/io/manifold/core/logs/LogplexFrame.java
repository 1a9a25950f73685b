package io.manifold.core.logs;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Logplex's HTTPS drain framing ({@code application/logplex-1}): each line as an RFC 5424 syslog
 * message without structured data, prefixed by its length in bytes (octet counting), e.g.
 * {@code 62 <190>1 2024-01-01T00:00:00.000000+00:00 host app web.1 - Hello}.
 */
public final class LogplexFrame {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

  private LogplexFrame() {}

  /** One line as a syslog message: {@code <190>} (local7.info) for app lines, {@code <158>} (local3.info) for Heroku's. */
  public static String message(LogLine line) {
    int pri = LogLine.APP.equals(line.source()) ? 190 : 158;
    return "<" + pri + ">1 " + TIME.format(line.time()) + " host " + line.source() + " " + line.process() + " - " + line.message();
  }

  /** A whole frame: every line, octet-counted. */
  public static byte[] body(List<LogLine> lines) {
    StringBuilder b = new StringBuilder(lines.size() * 128);
    for (LogLine line : lines) {
      String msg = message(line);
      b.append(msg.getBytes(StandardCharsets.UTF_8).length).append(' ').append(msg);
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }
}
