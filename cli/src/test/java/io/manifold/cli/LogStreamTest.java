package io.manifold.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The log stream's side of server-sent events, against a stand-in for the API's stream: events,
 * the end of a stream that is not a tail, and a tail that drops and is resumed with
 * {@code Last-Event-ID}, or given up on.
 */
class LogStreamTest {
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final CountDownLatch release = new CountDownLatch(1);

  /** What the stand-in answers: one handler per connection, in turn (the last one for every further connection). */
  private final List<Handler> answers = Collections.synchronizedList(new ArrayList<>());
  private final BlockingQueue<String> lastEventIds = new LinkedBlockingQueue<>();
  private final AtomicInteger connections = new AtomicInteger();

  interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  LogStreamTest() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/stream", exchange -> {
      int n = connections.getAndIncrement();
      lastEventIds.add(String.valueOf(exchange.getRequestHeaders().getFirst("Last-Event-ID")));
      answers.get(Math.min(n, answers.size() - 1)).handle(exchange);
    });
    server.setExecutor(threads);
    server.start();
  }

  @AfterEach
  void stopServer() {
    release.countDown();
    server.stop(0);
    threads.shutdownNow();
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/stream?srv=x");
  }

  /** Sends these events, then closes the stream, or keeps it open until the test ends. */
  private Handler events(String body, boolean keepOpen) {
    return exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      out.write(body.getBytes(StandardCharsets.UTF_8));
      out.flush();
      if (keepOpen) {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      exchange.close();
    };
  }

  private static Handler status(int code) {
    return exchange -> {
      exchange.sendResponseHeaders(code, -1);
      exchange.close();
    };
  }

  @Test
  void aStreamThatIsNotATailEndsWithTheServersLastEvent() {
    answers.add(events(": a heartbeat\n\ndata: one\nid: 1\n\ndata: two\ndata: three\nid: 3\n\n", false));
    List<String> lines = new ArrayList<>();
    try (LogStream stream = new LogStream(url(), false)) {
      stream.read(lines::add);
    }
    assertEquals(List.of("one", "two", "three"), lines);
    assertEquals(1, connections.get());
  }

  @Test
  void aTailThatDropsIsResumedAfterTheLastEventItSaw() throws Exception {
    answers.add(events("data: one\nid: 7\n\n", false));
    answers.add(events("data: two\nid: 8\n\n", true));
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    LogStream stream = new LogStream(url(), true, Duration.ofMillis(10));
    CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> stream.read(lines::add));

    assertEquals("one", lines.poll(10, TimeUnit.SECONDS));
    assertEquals("two", lines.poll(10, TimeUnit.SECONDS));
    assertEquals("null", lastEventIds.poll(10, TimeUnit.SECONDS));
    assertEquals("7", lastEventIds.poll(10, TimeUnit.SECONDS), "the reconnect asks for what came after event 7");

    stream.close();
    reading.get(10, TimeUnit.SECONDS);
    assertEquals(2, connections.get());
  }

  @Test
  void aTailWhoseSessionHasExpiredSaysSoAsTheHerokuCliDoes() {
    answers.add(events("data: one\nid: 1\n\n", false));
    answers.add(status(404));
    try (LogStream stream = new LogStream(url(), true, Duration.ofMillis(10))) {
      PlatformClient.Unreachable e = assertThrows(PlatformClient.Unreachable.class, () -> stream.read(line -> { }));
      assertEquals("Log stream timed out. Please try again.", e.getMessage());
    }
  }

  @Test
  void aTailThatKeepsDroppingWithoutALineIsGivenUpAfterABoundedNumberOfAttempts() {
    answers.add(events("", false));
    try (LogStream stream = new LogStream(url(), true, Duration.ofMillis(1))) {
      PlatformClient.Unreachable e = assertThrows(PlatformClient.Unreachable.class, () -> stream.read(line -> { }));
      assertTrue(e.getMessage().startsWith("the log stream dropped and could not be resumed"), e.getMessage());
    }
    assertEquals(LogStream.MAX_RECONNECTS + 1, connections.get());
  }

  @Test
  void anAnswerThatIsNotAnEventStreamIsAnError() {
    answers.add(exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "text/plain");
      byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    try (LogStream stream = new LogStream(url(), false)) {
      PlatformClient.Unreachable e = assertThrows(PlatformClient.Unreachable.class, () -> stream.read(line -> { }));
      assertEquals("the log stream answered 200 text/plain, expected 200 with text/event-stream", e.getMessage());
    }
  }
}
