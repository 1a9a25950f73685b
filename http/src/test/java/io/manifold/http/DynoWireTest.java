package io.manifold.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.manifold.core.dyno.DynoState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The router's HTTP/1.1 towards dynos ({@link DynoWire}), through a real front and raw dynos that
 * write their responses byte by byte: how a response's body is framed (chunked, to the
 * connection's end, after an interim 100 Continue), when a connection may carry the next request,
 * how a broken body or an oversized head ends, and that header bytes pass both ways unchanged.
 */
@ExtendWith(LogCapturingExtension.class)
class DynoWireTest {
  static final ActorTestKit kit = ActorTestKit.create("dyno-wire", ConfigFactory.load());

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private final FrontHarness h = new FrontHarness(kit);
  private final AtomicInteger connections = new AtomicInteger();
  /** Each request's head and body as the dyno read them. */
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    h.close();
  }

  /** A raw dyno ({@link Backends#keepAlive}) that records each request and counts its connections. */
  private int dyno(Function<String, String> answer) throws IOException {
    return h.backends.keepAlive(request -> {
      requests.add(request);
      return answer.apply(request);
    }, connections::incrementAndGet, () -> { });
  }

  private static void send(OutputStream out, String request) throws IOException {
    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: shop.localhost\r\n\r\n";
  }

  /** A response's head and its body, read as its Content-Length or chunks frame it. */
  private static String response(InputStream in) throws IOException {
    String head = Backends.readHead(in);
    return head + Backends.body(head, in);
  }

  @Test
  void aChunkedResponseWithExtensionsAndTrailersPassesThroughAndItsConnectionCarriesTheNextRequest() throws Exception {
    h.front(s -> s);
    h.dyno("web.1", DynoState.UP, dyno(request -> request.startsWith("GET /chunked")
        ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
            + "5;name=value\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n"
        : "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext"));
    h.awaitUp(1);
    try (Socket s = h.connect()) {
      send(s.getOutputStream(), get("/chunked"));
      String first = response(s.getInputStream());
      assertTrue(first.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked"), first);
      assertEquals("hello, world", dechunk(first.substring(first.indexOf("\r\n\r\n") + 4)), first);
      send(s.getOutputStream(), get("/next"));
      assertTrue(response(s.getInputStream()).endsWith("\r\n\r\nnext"));
    }
    assertTrue(h.line().contains(" status=200 bytes=12 "), "the chunked body's data counted, not its framing");
    assertTrue(h.line().contains(" status=200 bytes=4 "));
    assertEquals(1, connections.get(), "the chunked response's connection carried the next request");
  }

  private static String dechunk(String chunked) {
    StringBuilder data = new StringBuilder();
    int at = 0;
    while (true) {
      int eol = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, eol).split(";")[0].trim(), 16);
      if (size == 0) {
        return data.toString();
      }
      data.append(chunked, eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
  }

  @Test
  void aResponseThatEndsWithTheConnectionPassesThroughWhole() throws Exception {
    h.front(s -> s);
    String body = "x".repeat(100_000);
    h.dyno("web.1", DynoState.UP, dyno(request -> "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + body));
    h.awaitUp(1);
    var r = h.get("/");
    assertEquals(200, r.statusCode());
    assertEquals(body, r.body());
    assertTrue(h.line().contains(" status=200 bytes=100000 "));
  }

  @Test
  void anInterimContinueIsDroppedAndTheFinalResponseAnswers() throws Exception {
    h.front(s -> s);
    h.dyno("web.1", DynoState.UP, dyno(request ->
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 7\r\n\r\ncreated"));
    h.awaitUp(1);
    try (Socket s = h.connect()) {
      send(s.getOutputStream(), "POST /things HTTP/1.1\r\nHost: shop.localhost\r\nExpect: 100-continue\r\n"
          + "Content-Length: 4\r\n\r\nabcd");
      String answer = response(s.getInputStream());
      if (answer.startsWith("HTTP/1.1 100")) {
        answer = response(s.getInputStream()); // the router's own 100 to the client, as it read the body
      }
      assertTrue(answer.startsWith("HTTP/1.1 201 Created"), answer);
      assertTrue(answer.endsWith("\r\n\r\ncreated"), answer);
    }
    assertTrue(requests.get(0).endsWith("\r\n\r\nabcd"), "the body went to the dyno without waiting for its 100");
    assertTrue(h.line().contains(" status=201 bytes=7 "));
  }

  @Test
  void aConnectionTheDynoClosesAfterItsResponseIsNotGivenToTheNextRequest() throws Exception {
    h.front(s -> s);
    h.dyno("web.1", DynoState.UP, dyno(request ->
        "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"));
    h.awaitUp(1);
    for (int i = 0; i < 20; i++) {
      var r = h.get("/" + i);
      assertEquals(200, r.statusCode(), "request " + i + ": " + r.body());
      assertEquals("ok", r.body());
    }
    for (int i = 0; i < 20; i++) {
      String line = h.line();
      assertTrue(line.startsWith("at=info ") && line.contains(" status=200 "), line);
    }
    assertEquals(20, connections.get(), "a connection of its own for each request");
  }

  @Test
  void aChunkedBodyThatBreaksItsFramingIsH18() throws Exception {
    h.front(s -> s);
    h.dyno("web.1", DynoState.UP, dyno(request ->
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n"));
    h.awaitUp(1);
    try (Socket s = h.connect()) {
      send(s.getOutputStream(), get("/"));
      String got = FrontHarness.readSome(s.getInputStream());
      assertTrue(got.startsWith("HTTP/1.1 200 OK"), got);
      assertTrue(!got.endsWith("0\r\n\r\n"), "the client's body is not ended as if it were whole: " + got);
    }
    String line = h.line();
    assertTrue(line.startsWith("sock=backend at=error code=H18 "), line);
    FrontHarness.await(() -> h.routes().inFlight() == 0, "the slot given back");
  }

  @Test
  void aResponseWithMoreThanAThousandHeadersIsH25() throws Exception {
    h.front(s -> s);
    h.dyno("web.1", DynoState.UP, dyno(request ->
        "HTTP/1.1 200 OK\r\n" + "X-Many: 1\r\n".repeat(1_001) + "Content-Length: 2\r\n\r\nok"));
    h.awaitUp(1);
    assertEquals(502, h.get("/").statusCode());
    String line = h.line();
    assertTrue(line.startsWith("at=error code=H25 desc=\"HTTP Restriction\" cause=\"oversized header\""), line);
  }

  @Test
  void aBadContentLengthIsH25() throws Exception {
    h.front(s -> s);
    h.dyno("web.1", DynoState.UP, dyno(request -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok"));
    h.awaitUp(1);
    assertEquals(502, h.get("/").statusCode());
    String line = h.line();
    assertTrue(line.startsWith("at=error code=H25 desc=\"HTTP Restriction\" cause=\"invalid content length\""), line);
  }

  @Test
  void headerBytesOutsideAsciiPassBothWaysUnchanged() throws Exception {
    h.front(s -> s);
    h.dyno("web.1", DynoState.UP, dyno(request -> "HTTP/1.1 200 OK\r\nX-Latin: caf\u00e9\r\nContent-Length: 2\r\n\r\nok"));
    h.awaitUp(1);
    byte[] utf8Name = "X-Name: Zo\u00eb\r\n".getBytes(StandardCharsets.UTF_8);
    try (Socket s = h.connect()) {
      OutputStream out = s.getOutputStream();
      out.write("GET / HTTP/1.1\r\nHost: shop.localhost\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.write(utf8Name);
      out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String answer = response(s.getInputStream());
      assertTrue(answer.contains("X-Latin: caf\u00e9\r\n"), "the dyno's one byte 0xE9 reached the client as it was: " + answer);
    }
    byte[] seen = requests.get(0).getBytes(StandardCharsets.ISO_8859_1);
    assertTrue(indexOf(seen, utf8Name) >= 0, "the client's UTF-8 bytes reached the dyno as they were: " + requests.get(0));
  }

  private static int indexOf(byte[] in, byte[] what) {
    outer:
    for (int i = 0; i + what.length <= in.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (in[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void aChunkedRequestBodyReachesTheDynoChunkedAndWhole() throws Exception {
    h.front(s -> s);
    h.dyno("web.1", DynoState.UP, dyno(request -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
    h.awaitUp(1);
    try (Socket s = h.connect()) {
      send(s.getOutputStream(), "POST /upload HTTP/1.1\r\nHost: shop.localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n");
      assertTrue(response(s.getInputStream()).endsWith("\r\n\r\nok"));
    }
    String request = requests.get(0);
    assertTrue(request.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked\r\n"), request);
    String chunked = request.substring(request.indexOf("\r\n\r\n") + 4);
    assertEquals("abcdefg", dechunk(chunked), request);
    assertTrue(h.line().contains(" status=200 "));
  }

  @Test
  void aDynoThatAnswersBeforeTheBodyIsAllSentIsRelayedAndItsConnectionNotUsedAgain() throws Exception {
    h.front(s -> s);
    h.dyno("web.1", DynoState.UP, h.backends.raw(socket -> {
      connections.incrementAndGet();
      try (socket) {
        requests.add(Backends.readHead(socket));
        socket.getOutputStream().write("HTTP/1.1 413 Payload Too Large\r\nContent-Length: 3\r\n\r\nbig"
            .getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        socket.getInputStream().readNBytes(1_000); // a little of the body, then the dyno hangs up
      } catch (IOException reset) {
        // the router hung up first
      }
    }));
    h.awaitUp(1);
    try (Socket s = h.connect()) {
      OutputStream out = s.getOutputStream();
      send(out, "POST /upload HTTP/1.1\r\nHost: shop.localhost\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(1_000));
      String answer = Backends.readHead(s.getInputStream());
      assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
    }
    String line = h.line();
    assertTrue(line.contains(" status=413 "), line);
    FrontHarness.await(() -> h.routes().inFlight() == 0, "the slot given back");
    assertEquals(413, h.get("/after").statusCode(), "the next request is answered, on a new connection");
    assertEquals(2, connections.get(), "the first connection was not given the next request");
  }

  /** Writes {@code total} bytes of a known pattern (byte i is i % 251), counting them in {@code written} as they go. */
  private static void writePattern(OutputStream out, long total, AtomicLong written) throws IOException {
    byte[] piece = new byte[64 * 1024];
    for (long at = 0; at < total; at += piece.length) {
      for (int i = 0; i < piece.length; i++) {
        piece[i] = (byte) ((at + i) % 251);
      }
      out.write(piece);
      written.addAndGet(piece.length);
    }
    out.flush();
  }

  /** Reads up to {@code total} bytes of the pattern {@link #writePattern} writes; how many came, all as written. */
  private static long readPattern(InputStream in, long total) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long got = 0;
    // never past total: of an endless body, a read of a whole buffer would take more than was asked
    for (int n; got < total && (n = in.read(buf, 0, (int) Math.min(buf.length, total - got))) > 0; ) {
      for (int i = 0; i < n; i++) {
        if (buf[i] != (byte) ((got + i) % 251)) {
          throw new AssertionError("byte " + (got + i) + " differs");
        }
      }
      got += n;
    }
    return got;
  }

  @Test
  void aBodyFarLargerThanTheRoutersBuffersReachesAReaderThatStallsWholeAndTheDynoWaitsForIt() throws Exception {
    h.front(s -> s);
    int total = 64 * 1024 * 1024;
    AtomicLong written = new AtomicLong();
    h.dyno("web.1", DynoState.UP, h.backends.raw(socket -> {
      try (socket) {
        Backends.readHead(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + total + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        writePattern(out, total, written);
      } catch (IOException reset) {
        // the router hung up
      }
    }));
    h.awaitUp(1);
    try (Socket s = h.connect()) {
      send(s.getOutputStream(), get("/big"));
      InputStream in = s.getInputStream();
      String head = Backends.readHead(in);
      assertTrue(head.startsWith("HTTP/1.1 200"), head);
      // the reader stalls: what the dyno can write meanwhile is bounded by the sockets' buffers and
      // the router's read-ahead, far less than the body
      long meanwhile = Backends.heldUp(written);
      assertTrue(meanwhile < total / 2, "the dyno was held up, not read ahead of the reader: " + meanwhile);
      assertEquals(total, readPattern(in, total));
    }
    assertTrue(h.line().contains(" status=200 bytes=" + total + " "));
  }

  @Test
  void aClientThatLeavesMidBodyGetsItsConnectionToTheDynoClosedAndItsSlotBack() throws Exception {
    h.front(s -> s);
    long total = 1L << 30; // far more than the client will read; the dyno stops when its connection closes
    CountDownLatch dynoCutOff = new CountDownLatch(1);
    h.dyno("web.1", DynoState.UP, h.backends.raw(socket -> {
      try (socket) {
        Backends.readHead(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + total + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        writePattern(out, total, new AtomicLong());
      } catch (IOException cutOff) {
        dynoCutOff.countDown();
      }
    }));
    h.awaitUp(1);
    try (Socket s = h.connect()) {
      send(s.getOutputStream(), get("/endless"));
      assertTrue(Backends.readHead(s.getInputStream()).startsWith("HTTP/1.1 200"));
      assertEquals(64 * 1024, readPattern(s.getInputStream(), 64 * 1024));
    } // the client leaves with the body far from over
    assertTrue(dynoCutOff.await(10, TimeUnit.SECONDS), "the router closed its connection to the dyno");
    FrontHarness.await(() -> h.routes().inFlight() == 0, "the dyno's slot is back");
    String line = h.line();
    assertTrue(line.startsWith("sock=client at=warning code=H27 "), line);
  }

  @Test
  void anUploadFarLargerThanTheRoutersBuffersReachesADynoThatStallsWholeAndTheClientWaitsForIt() throws Exception {
    h.front(s -> s);
    int total = 64 * 1024 * 1024;
    CountDownLatch readOn = new CountDownLatch(1);
    CompletableFuture<String> received = new CompletableFuture<>();
    h.dyno("web.1", DynoState.UP, h.backends.raw(socket -> {
      try (socket) {
        InputStream in = socket.getInputStream();
        String head = Backends.readHead(in);
        readOn.await(); // stalls until the test has seen the client held up
        long got = readPattern(in, total);
        received.complete(head.toLowerCase(Locale.ROOT).contains("content-length: " + total) ? "bytes " + got : head);
        socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
      } catch (IOException | InterruptedException | AssertionError e) {
        received.complete(e.toString());
      }
    }));
    h.awaitUp(1);
    AtomicLong sent = new AtomicLong();
    try (Socket s = h.connect()) {
      Thread uploader = new Thread(() -> {
        try {
          OutputStream out = s.getOutputStream();
          out.write(("POST /upload HTTP/1.1\r\nHost: shop.localhost\r\nContent-Length: " + total + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
          writePattern(out, total, sent);
        } catch (IOException e) {
          // the test fails on what the dyno received
        }
      }, "uploader");
      uploader.setDaemon(true);
      uploader.start();
      long meanwhile = Backends.heldUp(sent);
      assertTrue(meanwhile < total / 2, "the client was held up, not read ahead of the dyno: " + meanwhile);
      readOn.countDown();
      assertEquals("bytes " + total, received.get(30, TimeUnit.SECONDS));
      assertTrue(Backends.readHead(s.getInputStream()).startsWith("HTTP/1.1 200"));
      uploader.join(10_000);
    }
    assertTrue(h.line().contains(" status=200 "));
  }
}
