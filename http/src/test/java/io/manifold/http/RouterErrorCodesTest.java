package io.manifold.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.manifold.core.dyno.DynoState;
import io.manifold.core.dyno.Endpoint;
import io.manifold.testing.Processes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Heroku's H-codes for dynos that fail to connect, go silent or answer badly, and clients that stall or send too much. */
@ExtendWith(LogCapturingExtension.class)
class RouterErrorCodesTest {
  static final ActorTestKit kit = ActorTestKit.create("router-errors", ConfigFactory.load());

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private final FrontHarness h = new FrontHarness(kit);
  private final List<Socket> held = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (Socket s : held) {
      s.close();
    }
    h.close();
  }

  /** A raw backend that answers every connection with {@code response} after reading the head. */
  private int answering(String response) throws IOException {
    return h.backends.raw(socket -> {
      try (socket) {
        Backends.readHead(socket);
        socket.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        Processes.sleep(500);
      } catch (IOException ignored) {
        // the router hung up: fine
      }
    });
  }

  @Test
  void aDynoNamedByItsNodesHostNameIsReachedAndOneWhoseNameIsUnknownIsNot() throws Exception {
    h.front(s -> s);
    // a node's host may be a name: the router looks it up off its own threads
    h.dynoAt("web.1", DynoState.UP, new Endpoint("localhost", h.backends.echo("by name")));
    h.awaitUp(1);
    HttpResponse<String> byName = h.get("/");
    assertEquals(200, byName.statusCode(), byName.body());
    assertTrue(byName.body().startsWith("by name"), byName.body());
    h.line();

    h.dynoAt("web.1", DynoState.UP, new Endpoint("no-such-host.invalid", 5000));
    FrontHarness.await(() -> h.routes().up().get(0).endpoint().host().equals("no-such-host.invalid"), "the dyno moved");
    HttpResponse<String> unknown = h.get("/");
    assertEquals(503, unknown.statusCode(), unknown.body());
    String line = h.line();
    assertTrue(line.contains("code=H21"), "no connection could be made, as when refused: " + line);
  }

  @Test
  void aRefusingDynoIsQuarantinedAndTheRequestGoesToAnotherOne() throws Exception {
    h.front(s -> s);
    AtomicInteger served = new AtomicInteger();
    h.dyno("web.1", DynoState.UP, Backends.closedPort());
    h.dyno("web.2", DynoState.UP, h.backends.http(ex -> {
      served.incrementAndGet();
      Backends.reply(ex, 200, "web.2");
    }));
    h.awaitUp(2);
    for (int i = 0; i < 4; i++) {
      assertEquals(200, h.get("/" + i).statusCode(), "the router tries the other dyno");
    }
    assertEquals(4, served.get());
    assertTrue(h.routes().up().get(0).quarantined(System.nanoTime()), "web.1 sits out its quarantine");
    for (int i = 0; i < 4; i++) {
      assertTrue(h.line().startsWith("at=info method=GET"), "no error while another dyno serves");
    }
  }

  @Test
  void whenEveryDynoRefusesTheRouterAnswersH21() throws Exception {
    h.front(s -> s);
    h.dyno("web.1", DynoState.UP, Backends.closedPort());
    h.dyno("web.2", DynoState.UP, Backends.closedPort());
    h.awaitUp(2);
    var refused = h.get("/");
    assertEquals(503, refused.statusCode());
    assertEquals("H21", refused.headers().firstValue("X-Manifold-Code").orElse(null), "the router names its code");
    assertTrue(h.line().startsWith("at=error code=H21 desc=\"Backend connection refused\""));
    assertEquals(503, h.get("/").statusCode(), "both quarantined: refused at once");
    assertTrue(h.line().startsWith("at=error code=H21"));
  }

  @Test
  void aDynoThatNeverAcceptsTheConnectionGetsH19() throws Exception {
    h.front(s -> s.withConnectTimeout(Duration.ofMillis(500)));
    // a listener whose accept queue is full: the kernel drops further connection attempts
    ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    held.add(new Socket()); // keeps the list non-empty for close(); the real ones follow
    for (int i = 0; i < 8; i++) {
      Socket s = new Socket();
      try {
        s.connect(full.getLocalSocketAddress(), 200);
        held.add(s);
      } catch (IOException queueFull) {
        s.close();
        break;
      }
    }
    try (full) {
      h.dyno("web.1", DynoState.UP, full.getLocalPort());
      h.awaitUp(1);
      assertEquals(503, h.get("/").statusCode());
      String line = h.line();
      assertTrue(line.startsWith("at=error code=H19 desc=\"Backend connection timeout\""), line);
    }
  }

  @Test
  void aDynoThatGoesSilentMidResponseGetsH15() throws Exception {
    h.front(s -> s.withIdleTimeout(Duration.ofMillis(600)));
    h.dyno("web.1", DynoState.UP, h.backends.raw(socket -> {
      try (socket) {
        Backends.readHead(socket);
        OutputStream out = socket.getOutputStream();
        out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nContent-Type: text/plain\r\n\r\nfirst part".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Processes.sleep(5_000); // and then nothing
      } catch (IOException ignored) {
        // the router hung up
      }
    }));
    h.awaitUp(1);
    try {
      h.get("/stream");
    } catch (IOException expected) {
      // the client sees the answer cut short
    }
    String line = h.line();
    assertTrue(line.startsWith("at=error code=H15 desc=\"Idle connection\""), line);
    assertTrue(line.contains(" bytes=10 ") && line.contains(" status=503 "), line);
    FrontHarness.await(() -> h.routes().inFlight() == 0, "the slot is back");
  }

  @Test
  void aClientThatStopsSendingItsBodyGetsH28() throws Exception {
    h.front(s -> s.withIdleTimeout(Duration.ofMillis(600)));
    h.dyno("web.1", DynoState.UP, h.backends.echo("web.1"));
    h.awaitUp(1);
    try (Socket s = h.connect()) {
      s.getOutputStream().write(("POST /upload HTTP/1.1\r\nHost: shop.localhost\r\nContent-Length: 1000\r\n\r\nonly a little")
          .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String answer = FrontHarness.readSome(s.getInputStream());
      // the router gives up on the request; the client gets a 499 or, as here mostly, a closed connection
      assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 499"), answer);
    }
    String line = h.line();
    assertTrue(line.startsWith("at=warning code=H28 desc=\"Client Connection Idle\" method=POST path=\"/upload\""), line);
    assertTrue(line.contains(" status=499 "), line);
    FrontHarness.await(() -> h.routes().inFlight() == 0, "the slot is back");
  }

  @Test
  void requestsOverHerokusLimitsGetH26WithTheirCause() throws Exception {
    h.front(s -> s);
    h.dyno("web.1", DynoState.UP, h.backends.echo("web.1"));
    h.awaitUp(1);

    String longLine = h.raw("GET /" + "a".repeat(9_000) + " HTTP/1.1", "Host: shop.localhost");
    assertTrue(longLine.startsWith("HTTP/1.1 400"), longLine);
    assertTrue(h.line().startsWith("at=error code=H26 desc=\"Request Error\" cause=\"bad request line\" method=GET"));

    String longHeader = h.raw("GET / HTTP/1.1", "Host: shop.localhost", "X-Big: " + "b".repeat(8_200));
    assertTrue(longHeader.startsWith("HTTP/1.1 400"), longHeader);
    assertTrue(h.line().startsWith("at=error code=H26 desc=\"Request Error\" cause=\"bad header\""));

    List<String> many = new ArrayList<>(List.of("GET / HTTP/1.1", "Host: shop.localhost"));
    for (int i = 0; i < 1_000; i++) {
      many.add("X-H" + i + ": v");
    }
    String tooMany = h.raw(many.toArray(String[]::new));
    assertTrue(tooMany.startsWith("HTTP/1.1 400"), tooMany);
    assertTrue(h.line().startsWith("at=error code=H26 desc=\"Request Error\" cause=\"bad header\""));

    String expect = h.raw("POST / HTTP/1.1", "Host: shop.localhost", "Expect: the-unexpected", "Content-Length: 0");
    assertTrue(expect.startsWith("HTTP/1.1 417"), expect);
    assertTrue(h.line().startsWith("at=error code=H26 desc=\"Request Error\" cause=\"unsupported expect header value\""));

    // refused by Pekko's parser before the router sees it: Heroku's answer, counted under no app
    String conflicting = h.raw("POST / HTTP/1.1", "Host: shop.localhost", "Content-Length: 15", "Content-Length: 24");
    assertTrue(conflicting.startsWith("HTTP/1.1 400"), conflicting);
    assertTrue(conflicting.contains("Bad request"), conflicting);
    String smuggled = h.raw("POST / HTTP/1.1", "Host: shop.localhost", "Transfer-Encoding: chunked", "Content-Length: 5");
    assertTrue(smuggled.startsWith("HTTP/1.1 400"), smuggled);
    assertEquals(2.0, h.node.snapshot().counter("manifold_router_requests", Map.of("app", "", "code", "H26")));
    assertEquals(4.0, h.node.snapshot().counter("manifold_router_requests", Map.of("app", "shop", "code", "H26")));
  }

  @Test
  void aMalformedResponseGetsH17() throws Exception {
    h.front(s -> s);
    h.dyno("web.1", DynoState.UP, answering("HTTP/1.1 OK-ish\r\n\r\n"));
    h.awaitUp(1);
    assertEquals(503, h.get("/").statusCode());
    String line = h.line();
    assertTrue(line.startsWith("at=error code=H17 desc=\"Poorly formatted HTTP response\""), line);
  }

  @Test
  void aStatusLineWithoutAReasonPhraseGetsH17AndOneWithAnEmptyReasonPasses() throws Exception {
    h.front(s -> s);
    h.dyno("web.1", DynoState.UP, answering("HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok"));
    h.awaitUp(1);
    assertEquals(503, h.get("/").statusCode());
    String line = h.line();
    assertTrue(line.startsWith("at=error code=H17 desc=\"Poorly formatted HTTP response\""), line);
    assertTrue(line.contains(" dyno=web.1 ") && line.contains(" status=503 "), line);

    // RFC 9112 allows an empty reason phrase after its space
    int empty = answering("HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\nok");
    h.dyno("web.1", DynoState.UP, empty);
    FrontHarness.await(() -> h.routes().up().get(0).endpoint().port() == empty, "moved");
    HttpResponse<String> r = h.get("/");
    assertEquals(200, r.statusCode());
    assertEquals("ok", r.body());
    assertTrue(h.line().startsWith("at=info "));
  }

  @Test
  void responsesOverHerokusLimitsGetH25() throws Exception {
    h.front(s -> s);
    h.dyno("web.1", DynoState.UP, answering("HTTP/1.1 200 OK\r\nSet-Cookie: c=" + "x".repeat(8_200)
        + "\r\nContent-Length: 2\r\n\r\nok"));
    h.awaitUp(1);
    assertEquals(502, h.get("/").statusCode());
    String line = h.line();
    assertTrue(line.startsWith("at=error code=H25 desc=\"HTTP Restriction\" cause=\"oversized cookie\""), line);
    assertTrue(line.contains(" status=502 "), line);

    h.dyno("web.1", DynoState.UP, answering("HTTP/1.1 200 " + "Fine".repeat(2_100) + "\r\nContent-Length: 2\r\n\r\nok"));
    FrontHarness.await(() -> h.routes().up().get(0).endpoint().port() != 0, "moved");
    Processes.sleep(200);
    assertEquals(502, h.get("/").statusCode());
    String status = h.line();
    assertTrue(status.startsWith("at=error code=H25 desc=\"HTTP Restriction\" cause=\"oversized status line\""), status);
  }
}
