package io.manifold.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.manifold.testing.Processes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A log session opened through a node's API ({@code POST /apps/{app}/log-sessions}) and its
 * stream read as the heroku CLI reads it: server-sent events, one log line per {@code data:}.
 * The lines are collected on a thread of their own until the stream ends or {@link #close()}.
 */
final class LogSession implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread reader;
  private volatile InputStream body;
  private volatile boolean ended;

  private LogSession(ClusterHarness cluster, String url) throws Exception {
    HttpResponse<InputStream> response = cluster.http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      response.body().close();
      throw new AssertionError("the log stream answered " + response.statusCode());
    }
    body = response.body();
    reader = new Thread(this::read, "log-session");
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens a session on node {@code node}'s API: the last {@code lines} lines, then (with {@code tail}) every new one. */
  static LogSession open(ClusterHarness cluster, int node, String app, int lines, boolean tail) throws Exception {
    JsonNode session = cluster.api(node, "POST", "/apps/" + app + "/log-sessions",
        "{\"lines\": " + lines + ", \"tail\": " + tail + "}");
    if (!session.has("logplex_url")) {
      throw new AssertionError("no log session: " + session);
    }
    return new LogSession(cluster, session.get("logplex_url").asText());
  }

  private void read() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("data:")) {
          lines.add(line.substring(line.startsWith("data: ") ? 6 : 5));
        }
      }
    } catch (IOException closed) {
      // closed by close(), or the node went away
    } finally {
      ended = true;
    }
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  /** Whether the stream has ended (a session without tail, once it has sent its lines). */
  boolean ended() {
    return ended;
  }

  /** Waits (bounded) for a line that matches; returns it. */
  String await(String what, Predicate<String> matches, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      for (String l : lines) {
        if (matches.test(l)) {
          return l;
        }
      }
      Processes.sleep(20);
    }
    throw new AssertionError("no line " + what + " within " + within.toSeconds() + " s; got " + lines.size() + " lines:\n"
        + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
  }

  /** Waits (bounded) until the stream has ended. */
  LogSession awaitEnd(Duration within) {
    ClusterHarness.await("the log stream ends", within, () -> ended);
    return this;
  }

  @Override
  public void close() {
    try {
      body.close(); // this, not an interrupt, ends a read in progress
    } catch (IOException e) {
      // closed either way
    }
    try {
      reader.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
