package io.manifold.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.manifold.core.dyno.DynoState;
import io.manifold.core.routing.Router;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** WebSockets through the router, and maintenance mode with Heroku's and the app's own pages. */
@ExtendWith(LogCapturingExtension.class)
class RouterPassThroughTest {
  static final ActorTestKit kit = ActorTestKit.create("router-pass-through", ConfigFactory.load());

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private final FrontHarness h = new FrontHarness(kit);
  private ServerBinding wsBackend;

  @AfterEach
  void close() throws Exception {
    if (wsBackend != null) {
      wsBackend.unbind().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
    h.close();
  }

  @Test
  void aWebSocketEchoesThroughTheRouterAndIsLoggedWith101() throws Exception {
    h.front(s -> s);
    wsBackend = Http.get(kit.system()).newServerAt("127.0.0.1", 0)
        .bind(Directives.path("echo", () -> Directives.handleWebSocketMessages(Flow.of(Message.class))))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    h.dyno("web.1", DynoState.UP, wsBackend.localAddress().getPort());
    h.awaitUp(1);
    try (Socket s = h.connect()) {
      OutputStream out = s.getOutputStream();
      out.write(("GET /echo HTTP/1.1\r\nHost: shop.localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String head = Backends.readHead(s.getInputStream());
      assertTrue(head.startsWith("HTTP/1.1 101"), head);
      assertTrue(head.toLowerCase().contains("sec-websocket-accept: s3pplmbitxaq9kygzzhzrbk+xoo="), head);
      for (String text : new String[] {"hello", "through the router"}) {
        writeTextFrame(out, text);
        assertEquals(text, readTextFrame(new DataInputStream(s.getInputStream())));
      }
      String line = h.line();
      assertTrue(line.startsWith("at=info method=GET path=\"/echo\"") && line.contains(" dyno=web.1 ") && line.contains(" status=101 "), line);
      assertEquals(1, h.routes().inFlight(), "an open socket holds its dyno slot");
    }
    FrontHarness.await(() -> h.routes().inFlight() == 0, "the slot comes back when the socket closes");
  }

  @Test
  void aWebSocketReachesTheDynoWithTheAppsHostAndTheSubprotocolTheDynoChose() throws Exception {
    h.front(s -> s);
    // the dyno speaks "chat" only, and first tells which Host its handshake named
    wsBackend = Http.get(kit.system()).newServerAt("127.0.0.1", 0)
        .bind(Directives.path("chat", () -> Directives.extractRequest(req -> Directives.handleWebSocketMessagesForProtocol(
            Flow.of(Message.class).prepend(Source.single(TextMessage.create("host=" + req.getHeader("Host").get().value()))),
            "chat"))))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    h.dyno("web.1", DynoState.UP, wsBackend.localAddress().getPort());
    h.awaitUp(1);
    try (Socket s = h.connect()) {
      OutputStream out = s.getOutputStream();
      out.write(("GET /chat HTTP/1.1\r\nHost: shop.localhost:" + h.port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Protocol: superchat, chat\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String head = Backends.readHead(s.getInputStream()).toLowerCase();
      assertTrue(head.startsWith("http/1.1 101"), head);
      assertTrue(head.contains("sec-websocket-protocol: chat\r\n"), head);
      DataInputStream in = new DataInputStream(s.getInputStream());
      assertEquals("host=shop.localhost:" + h.port, readTextFrame(in), "the app's host, not the dyno's address");
      writeTextFrame(out, "hello");
      assertEquals("hello", readTextFrame(in));
    }
  }

  /**
   * A dyno that speaks its own protocol after an upgrade: it answers 101, greets, then echoes every
   * byte until the router closes. The request head it got is kept in {@code heads}.
   */
  private int switchingDyno(List<String> heads) throws IOException {
    return h.backends.raw(socket -> {
      try (socket) {
        String head = Backends.readHead(socket.getInputStream());
        heads.add(head);
        OutputStream out = socket.getOutputStream();
        if (!head.toLowerCase().contains("upgrade: h2c")) {
          out.write("HTTP/1.1 426 Upgrade Required\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          return;
        }
        out.write(("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
            + "hello in the new protocol\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[1024];
        for (int n; (n = in.read(buf)) != -1; ) {
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException ignored) {
        // the router closed the connection
      }
    });
  }

  @Test
  void anUpgradeOtherThanWebSocketPassesThroughAndTheConnectionsAreJoinedByteForByte() throws Exception {
    h.front(s -> s);
    List<String> heads = new CopyOnWriteArrayList<>();
    h.dyno("web.1", DynoState.UP, switchingDyno(heads));
    h.awaitUp(1);
    try (Socket s = h.connect()) {
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write(("GET /h2 HTTP/1.1\r\nHost: shop.localhost\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
          + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String head = Backends.readHead(in).toLowerCase();
      assertTrue(head.startsWith("http/1.1 101"), head);
      assertTrue(head.contains("upgrade: h2c") && head.contains("connection: upgrade"), head);
      assertEquals("hello in the new protocol\n", readLine(in));
      out.write("ping\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertEquals("ping\n", readLine(in));
      String line = h.line();
      assertTrue(line.startsWith("at=info method=GET path=\"/h2\"") && line.contains(" dyno=web.1 ")
          && line.contains(" status=101 "), line);
      assertEquals(1, h.routes().inFlight(), "the joined connection holds its dyno slot");
    }
    String seen = heads.get(0).toLowerCase();
    assertTrue(seen.contains("upgrade: h2c") && seen.contains("http2-settings: " + "AAMAAABkAARAAAAAAAIAAAAA".toLowerCase())
        && seen.contains("connection: upgrade") && seen.contains("x-request-id: "), seen);
    FrontHarness.await(() -> h.routes().inFlight() == 0, "the slot comes back when the client closes");
  }

  @Test
  void anUpgradeTheDynoDeclinesIsAnsweredAsAnyOtherRequest() throws Exception {
    h.front(s -> s);
    List<String> heads = new CopyOnWriteArrayList<>();
    h.dyno("web.1", DynoState.UP, switchingDyno(heads));
    h.awaitUp(1);
    String answer = h.raw("GET /old HTTP/1.1", "Host: shop.localhost", "Connection: Upgrade", "Upgrade: spdy/3");
    assertTrue(answer.startsWith("HTTP/1.1 426 Upgrade Required"), answer);
    assertTrue(heads.get(0).toLowerCase().contains("upgrade: spdy/3"), heads.get(0));
    String line = h.line();
    assertTrue(line.startsWith("at=info method=GET path=\"/old\"") && line.contains(" status=426 "), line);
    FrontHarness.await(() -> h.routes().inFlight() == 0, "the slot comes back with the answer");
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c; (c = in.read()) != -1; ) {
      b.append((char) c);
      if (c == '\n') {
        break;
      }
    }
    return b.toString();
  }

  @Test
  void inMaintenanceEveryRequestGetsH80AndTheMaintenancePage() throws Exception {
    h.front(s -> s);
    h.dyno("web.1", DynoState.UP, h.backends.echo("web.1"));
    h.awaitUp(1);
    h.router.tell(new Router.AppSettings("shop", true, null, null));
    FrontHarness.await(() -> h.routes().settings().maintenance(), "maintenance on");
    HttpResponse<String> r = h.get("/");
    assertEquals(503, r.statusCode());
    assertTrue(r.body().contains("Offline for maintenance"), r.body());
    String line = h.line();
    assertTrue(line.startsWith("at=info code=H80 desc=\"Maintenance mode\" method=GET path=\"/\""), line);
    assertTrue(line.contains(" dyno= connect= service= status=503 bytes= "), line);

    h.router.tell(new Router.AppSettings("shop", true, "https://pages.example/maintenance.html", null));
    FrontHarness.await(() -> h.routes().settings().maintenancePageUrl() != null, "page set");
    HttpResponse<String> custom = h.get("/");
    assertEquals(503, custom.statusCode());
    assertTrue(custom.body().contains("<iframe src=\"https://pages.example/maintenance.html\""), custom.body());

    h.router.tell(new Router.AppSettings("shop", false, null, null));
    FrontHarness.await(() -> !h.routes().settings().maintenance(), "maintenance off");
    assertEquals(200, h.get("/").statusCode());
  }

  @Test
  void theAppsErrorPageReplacesHerokus() throws Exception {
    h.router.tell(new Router.AppSettings("shop", false, null, "https://pages.example/error.html"));
    h.front(s -> s);
    FrontHarness.await(() -> h.routes().settings().errorPageUrl() != null, "settings that came first are kept");
    HttpResponse<String> r = h.get("/");
    assertEquals(503, r.statusCode());
    assertTrue(r.body().contains("<iframe src=\"https://pages.example/error.html\""), r.body());
    assertTrue(h.line().startsWith("at=error code=H14"));
  }


  /** A client's text frame: masked, as RFC 6455 requires of clients. */
  private static void writeTextFrame(OutputStream out, String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] mask = {1, 2, 3, 4};
    out.write(0x81);
    out.write(0x80 | payload.length);
    out.write(mask);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ mask[i % 4]);
    }
    out.flush();
  }

  /** A server's text message: one frame, or a text frame and continuations (the router may fragment). */
  private static String readTextFrame(DataInputStream in) throws IOException {
    StringBuilder text = new StringBuilder();
    for (int frame = 0; frame < 100; frame++) {
      int head = in.readUnsignedByte();
      int opcode = head & 0x0f;
      assertTrue(frame == 0 ? opcode == 1 : opcode == 0, "a text frame, then continuations: " + head);
      int len = in.readUnsignedByte() & 0x7f;
      byte[] payload = new byte[len];
      in.readFully(payload);
      text.append(new String(payload, StandardCharsets.UTF_8));
      if ((head & 0x80) != 0) {
        return text.toString();
      }
    }
    throw new AssertionError("no final frame in 100");
  }
}
