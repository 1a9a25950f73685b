package io.manifold.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.manifold.core.dyno.DynoState;
import io.manifold.testing.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Responses without a body (HEAD, 204, 304) pass through with their headers and leave both
 * keep-alive connections ready for the next request; and the router's idle keep-alive connections
 * to a dyno close after {@code dyno-keep-alive}.
 */
@ExtendWith(LogCapturingExtension.class)
class RouterResponsesTest {
  static final ActorTestKit kit = ActorTestKit.create("router-responses", ConfigFactory.load());

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private final FrontHarness h = new FrontHarness(kit);
  private final AtomicInteger connections = new AtomicInteger();
  /** The request lines the dyno got. */
  private final List<String> requestLines = new CopyOnWriteArrayList<>();
  private final CountDownLatch closedByRouter = new CountDownLatch(1);

  @AfterEach
  void close() throws Exception {
    h.close();
  }

  /**
   * A raw keep-alive dyno ({@link Backends#keepAlive}) that answers each request line with
   * {@code answer(line)}, records the lines and counts its connections; it tells when the router
   * closed one.
   */
  private int keepAliveDyno(Function<String, String> answer) throws IOException {
    return h.backends.keepAlive(request -> {
      String line = request.substring(0, request.indexOf("\r\n"));
      requestLines.add(line);
      return answer.apply(line);
    }, connections::incrementAndGet, closedByRouter::countDown);
  }

  @Test
  void headAnd204And304PassThroughWithoutABodyAndTheConnectionsStayUsable() throws Exception {
    h.front(s -> s);
    h.dyno("web.1", DynoState.UP, keepAliveDyno(line -> {
      if (line.startsWith("HEAD ")) {
        return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 42\r\nETag: \"head\"\r\n\r\n";
      }
      if (line.contains(" /204 ")) {
        return "HTTP/1.1 204 No Content\r\nX-Kind: none\r\n\r\n";
      }
      if (line.contains(" /304 ")) {
        return "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n";
      }
      return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nafter";
    }));
    h.awaitUp(1);
    try (Socket s = h.connect()) {
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();

      send(out, "HEAD /head");
      String head = Backends.readHead(in).toLowerCase(Locale.ROOT);
      assertTrue(head.startsWith("http/1.1 200 ok"), head);
      assertTrue(head.contains("content-length: 42") && head.contains("etag: \"head\""), head);

      send(out, "GET /204");
      String noContent = Backends.readHead(in).toLowerCase(Locale.ROOT);
      assertTrue(noContent.startsWith("http/1.1 204") && noContent.contains("x-kind: none"), noContent);

      send(out, "GET /304");
      String notModified = Backends.readHead(in).toLowerCase(Locale.ROOT);
      assertTrue(notModified.startsWith("http/1.1 304") && notModified.contains("etag: \"v1\""), notModified);

      // no stray body bytes on either connection: the next answer is exactly the next response
      send(out, "GET /after");
      String after = Backends.readHead(in).toLowerCase(Locale.ROOT);
      assertTrue(after.startsWith("http/1.1 200") && after.contains("content-length: 5"), after);
      assertEquals("after", new String(in.readNBytes(5), StandardCharsets.ISO_8859_1));
    }
    assertTrue(h.line().contains(" status=200 bytes=0 "), "HEAD");
    assertTrue(h.line().contains(" status=204 bytes=0 "), "204");
    assertTrue(h.line().contains(" status=304 bytes=0 "), "304");
    assertTrue(h.line().contains(" status=200 bytes=5 "), "the request after them");
    assertEquals(List.of("HEAD /head HTTP/1.1", "GET /204 HTTP/1.1", "GET /304 HTTP/1.1", "GET /after HTTP/1.1"),
        requestLines, "each request as the client sent it: HEAD stays HEAD, the target in origin form");
    assertEquals(1, connections.get(), "the router's connection to the dyno carried all four");
    FrontHarness.await(() -> h.routes().inFlight() == 0, "every slot given back");
  }

  @Test
  void anIdleKeepAliveConnectionToADynoClosesAfterTheKeepAlive() throws Exception {
    h.front(s -> s.with(b -> b.dynoKeepAlive = Duration.ofMillis(300)));
    h.dyno("web.1", DynoState.UP, keepAliveDyno(line -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
    h.awaitUp(1);
    assertEquals(200, h.get("/").statusCode());
    assertTrue(closedByRouter.await(10, TimeUnit.SECONDS), "the router closed the idle connection");
    assertEquals(200, h.get("/again").statusCode(), "and opens a new one when it needs one");
    assertEquals(2, connections.get());
  }

  @Test
  void theKeepAliveTimeOutClosesIdleConnectionsOnlyNotOneWhoseDynoIsStillWorking() throws Exception {
    // dyno-keep-alive is how long an unused connection waits for its next request; a request that
    // takes longer than that is bounded by H12 and the idle windows, not cut off as an idle socket
    h.front(s -> s.with(b -> b.dynoKeepAlive = Duration.ofMillis(300)));
    h.dyno("web.1", DynoState.UP, keepAliveDyno(line -> {
      Processes.sleep(1_000);
      return "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nslow";
    }));
    h.awaitUp(1);
    var r = h.get("/slow");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("slow", r.body());
    assertTrue(closedByRouter.await(10, TimeUnit.SECONDS), "and once idle, the connection is closed after the keep-alive");
  }

  @Test
  void aKeepAliveConnectionTheDynoClosedWhileIdleIsNotUsedForTheNextRequest() throws Exception {
    h.front(s -> s);
    // as nginx does after its keepalive_timeout: the answer says nothing of closing, then the
    // dyno closes the idle connection
    h.dyno("web.1", DynoState.UP, h.backends.raw(socket -> {
      connections.incrementAndGet();
      try (socket) {
        Backends.readHead(socket);
        socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        Processes.sleep(100);
      } catch (IOException ignored) {
        // closing is the point
      }
    }));
    h.awaitUp(1);
    assertEquals(200, h.get("/").statusCode());
    Processes.sleep(500);
    assertEquals(200, h.get("/again").statusCode(), "a new connection, not the one the dyno closed (H13)");
    assertEquals(2, connections.get());
  }

  private static void send(OutputStream out, String requestLine) throws IOException {
    out.write((requestLine + " HTTP/1.1\r\nHost: shop.localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

}
