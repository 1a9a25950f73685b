package io.manifold.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A log session's stream ({@code logplex_url}) read as the heroku CLI reads it: server-sent
 * events, each {@code data:} line a log line. A stream that is not a tail ends when the server
 * has sent the lines asked for. A tail is read until {@link #close()}; when it drops, it is opened
 * again with {@code Last-Event-ID}, so that no line is lost or shown twice, at most
 * {@link #MAX_RECONNECTS} times in a row without a line in between.
 */
final class LogStream implements AutoCloseable {
  static final int MAX_RECONNECTS = 5;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Until the response's headers: the stream itself has no end in time. */
  private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
  private final URI url;
  private final boolean tail;
  private final Duration firstBackoff;
  private volatile InputStream body;
  private volatile boolean closed;
  private String lastEventId;

  /** @param firstBackoff the wait before the first reconnect, doubled for each further one (up to 8 times it) */
  LogStream(URI url, boolean tail, Duration firstBackoff) {
    this.url = url;
    this.tail = tail;
    this.firstBackoff = firstBackoff;
  }

  LogStream(URI url, boolean tail) {
    this(url, tail, Duration.ofSeconds(1));
  }

  /**
   * Hands each log line to {@code lines}; returns when the stream ends (not a tail) or is closed.
   *
   * @throws PlatformClient.Unreachable when the stream cannot be opened, or a tail cannot be resumed
   */
  void read(Consumer<String> lines) {
    int failures = 0;
    while (!closed) {
      boolean sawEvent;
      try {
        sawEvent = readOnce(lines);
        if (!tail || closed) {
          return;
        }
      } catch (IOException e) {
        if (closed) {
          return;
        }
        if (!tail) {
          throw new PlatformClient.Unreachable("the log stream broke off: " + e, e);
        }
        sawEvent = false;
      }
      failures = sawEvent ? 1 : failures + 1;
      if (failures > MAX_RECONNECTS) {
        throw new PlatformClient.Unreachable("the log stream dropped and could not be resumed (" + MAX_RECONNECTS + " attempts)", null);
      }
      if (!pause(firstBackoff.multipliedBy(1L << Math.min(failures - 1, 3)))) {
        return;
      }
    }
  }

  /**
   * Ends the stream: a {@link #read} in progress returns. This, not an interrupt, is how to stop a
   * read on another thread: the JDK's response body does not heed interrupts, but closing it does.
   */
  @Override
  public void close() {
    closed = true;
    InputStream b = body;
    if (b != null) {
      try {
        b.close();
      } catch (IOException ignored) {
        // it is closed either way
      }
    }
  }

  /** One connection: true if at least one event came through it. */
  private boolean readOnce(Consumer<String> lines) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(OPEN_TIMEOUT).header("Accept", "text/event-stream");
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<InputStream> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
      return false;
    }
    body = response.body();
    if (closed) {
      body.close();
      return false;
    }
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      int status = response.statusCode();
      if (status == 404 || status == 403) {
        // what the heroku CLI says when a session has expired
        throw new PlatformClient.Unreachable("Log stream timed out. Please try again.", null);
      }
      String type = response.headers().firstValue("Content-Type").orElse("");
      if (status != 200 || !type.startsWith("text/event-stream")) {
        throw new PlatformClient.Unreachable("the log stream answered " + status + " " + type
            + ", expected 200 with text/event-stream", null);
      }
      return events(reader, lines);
    }
  }

  /** Server-sent events: {@code data:} lines up to a blank line make an event; {@code id:} is its id. */
  private boolean events(BufferedReader reader, Consumer<String> lines) throws IOException {
    boolean sawEvent = false;
    List<String> data = new ArrayList<>();
    String id = null;
    for (String line; !closed && (line = reader.readLine()) != null; ) {
      if (line.isEmpty()) {
        data.stream().filter(d -> !d.isEmpty()).forEach(lines);
        sawEvent |= !data.isEmpty();
        if (id != null) {
          lastEventId = id;
        }
        data.clear();
        id = null;
      } else if (!line.startsWith(":")) {
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        value = value.startsWith(" ") ? value.substring(1) : value;
        if (field.equals("data")) {
          data.add(value);
        } else if (field.equals("id")) {
          id = value;
        }
      }
    }
    return sawEvent;
  }

  private boolean pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
      return !closed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
