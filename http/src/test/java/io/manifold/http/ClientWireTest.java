package io.manifold.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.manifold.core.dyno.DynoState;
import io.manifold.testing.Processes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The router reads its clients' common requests itself ({@link ClientWire}) and leaves the rest
 * to Pekko HTTP's server. Whichever reads a request, the dyno and the client must see the same
 * bytes: each request here goes through a front of each kind ({@code client-parser}), and what
 * the dyno read and what the client got are compared, but for what differs by nature (the
 * router's port, the time).
 */
@ExtendWith(LogCapturingExtension.class)
class ClientWireTest {
  static final ActorTestKit kit = ActorTestKit.create("client-wire", ConfigFactory.load());

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static final String POST_BODY = "{\"item\":\"b\"}";

  /** Requests of every kind the router reads itself, and some it hands over (each asks to close after). */
  private static final List<String> REQUESTS = List.of(
      "GET /a/b?x=1&y=%20z HTTP/1.1\r\nHost: shop.localhost\r\nX-Request-Id: id-1\r\nAccept:   text/html  \r\n"
          + "Cookie: a=1; b=2\r\nX-Empty:\r\nConnection: close\r\n\r\n",
      "POST /orders HTTP/1.1\r\nhost: shop.localhost\r\nX-Request-Id: id-2\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + POST_BODY.length() + "\r\nConnection: close\r\n\r\n" + POST_BODY,
      "POST /raw HTTP/1.1\r\nHost: shop.localhost\r\nX-Request-Id: id-3\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc",
      "HEAD /head HTTP/1.1\r\nHost: shop.localhost\r\nX-Request-Id: id-4\r\nConnection: close\r\n\r\n",
      "GET /chunked HTTP/1.1\r\nHost: shop.localhost\r\nX-Request-Id: id-5\r\nConnection: close\r\n\r\n",
      "GET /204 HTTP/1.1\r\nHost: shop.localhost\r\nX-Request-Id: id-6\r\nConnection: close\r\n\r\n",
      "DELETE /x HTTP/1.1\r\nHost: shop.localhost\r\nX-Request-Id: id-7\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
      "GET /close HTTP/1.1\r\nHost: shop.localhost\r\nX-Request-Id: id-8\r\nConnection: close\r\n\r\n",
      "GET /old HTTP/1.0\r\nHost: shop.localhost\r\nX-Request-Id: id-9\r\n\r\n",
      "GET /expect HTTP/1.1\r\nHost: shop.localhost\r\nX-Request-Id: id-10\r\nExpect: bogus\r\nConnection: close\r\n\r\n",
      "GET /nohost HTTP/1.1\r\nX-Request-Id: id-11\r\nConnection: close\r\n\r\n",
      "GET http://shop.localhost/absolute HTTP/1.1\r\nHost: shop.localhost\r\nX-Request-Id: id-12\r\nConnection: close\r\n\r\n",
      "GET /two-hosts HTTP/1.1\r\nHost: shop.localhost\r\nHost: other.localhost\r\nX-Request-Id: id-13\r\n\r\n",
      "GET /unknown-app HTTP/1.1\r\nHost: nothing.localhost\r\nX-Request-Id: id-14\r\nConnection: close\r\n\r\n",
      "GET /http10 HTTP/1.1\r\nHost: shop.localhost\r\nX-Request-Id: id-15\r\n\r\n",
      "GET /static/../dots HTTP/1.1\r\nHost: shop.localhost\r\nX-Request-Id: id-16\r\nConnection: close\r\n\r\n",
      "GET /fragment#part HTTP/1.1\r\nHost: shop.localhost\r\nX-Request-Id: id-17\r\nConnection: close\r\n\r\n",
      "POST /encoded HTTP/1.1\r\nHost: shop.localhost\r\nX-Request-Id: id-18\r\nContent-Encoding: GZIP\r\n"
          + "Content-Length: 2\r\nConnection: close\r\n\r\nhi",
      "GET /two-connections HTTP/1.1\r\nHost: shop.localhost\r\nX-Request-Id: id-19\r\nConnection: keep-alive\r\n"
          + "Connection: close\r\n\r\n",
      "GET /tab HTTP/1.1\r\nHost: shop.localhost\r\nX-Request-Id: id-20\r\nX-Tab: a\tb\r\nConnection: close\r\n\r\n",
      "HEAD /head-with-body HTTP/1.1\r\nHost: shop.localhost\r\nX-Request-Id: id-21\r\nContent-Length: 2\r\n"
          + "Connection: close\r\n\r\nhi",
      "GET /empty-host HTTP/1.1\r\nHost:\r\nX-Request-Id: id-22\r\nConnection: close\r\n\r\n");

  /** What the dyno answers, by the request's path. */
  private static String answer(String request) {
    String target = request.substring(request.indexOf(' ') + 1, request.indexOf(' ', request.indexOf(' ') + 1));
    return switch (target) {
      case "/chunked" -> "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
      case "/close" -> "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end";
      case "/204" -> "HTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n";
      case "/http10" -> "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok";
      case "/head" -> "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 42\r\n\r\n";
      default -> "HTTP/1.1 201 Created\r\nContent-Type: text/plain; charset=utf-8\r\nSet-Cookie: s=1; Path=/\r\n"
          + "X-Odd:  spaced  out \r\nContent-Length: 2\r\n\r\nok";
    };
  }

  /** What the dyno read, and what the client got, for each request, through a front whose client parser is {@code parser}. */
  private record Seen(List<String> dyno, List<String> client) {}

  private Seen through(String parser) throws Exception {
    Map<String, String> dynoRead = new ConcurrentHashMap<>();
    List<String> client = new ArrayList<>();
    try (FrontHarness h = new FrontHarness(kit)) {
      h.front(s -> s.with(b -> b.clientParser = parser));
      h.dyno("web.1", DynoState.UP, h.backends.keepAlive(request -> {
        dynoRead.put(request.substring(0, request.indexOf("\r\n")), request);
        return answer(request);
      }));
      h.awaitUp(1);
      String port = Integer.toString(h.port);
      for (String request : REQUESTS) {
        try (Socket s = h.connect()) {
          s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
          s.getOutputStream().flush();
          String got = readToEnd(s);
          client.add(got.lines().filter(l -> !l.startsWith("Date: ")).map(l -> l.replace(port, "PORT"))
              .collect(Collectors.joining("\n")));
        }
      }
      List<String> dyno = dynoRead.keySet().stream().sorted().map(k -> dynoRead.get(k).lines()
          .filter(l -> !l.startsWith("X-Request-Start: ") && !l.startsWith("X-Request-Id: ") && !l.startsWith("Connect-Time: ") && !l.startsWith("Total-Route-Time: "))
          .map(l -> l.replace(port, "PORT"))
          .collect(Collectors.joining("\n"))).toList();
      return new Seen(dyno, client);
    }
  }

  /** Reads until the router closes the connection (every request here asks it to), bounded by the socket's time-out. */
  private static String readToEnd(Socket s) throws Exception {
    try {
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (java.net.SocketException reset) {
      return "(reset)";
    }
  }

  @Test
  void theDynoAndTheClientSeeTheSameBytesWhicheverReadsTheRequest() throws Exception {
    Seen pekko = through("pekko");
    Seen router = through("router");
    assertEquals(REQUESTS.size(), router.client().size());
    assertTrue(router.dyno().size() >= 8, "the dyno read the requests the router passes on: " + router.dyno());
    for (int i = 0; i < REQUESTS.size(); i++) {
      assertEquals(pekko.client().get(i), router.client().get(i), "the answer to " + REQUESTS.get(i));
    }
    assertEquals(pekko.dyno(), router.dyno(), "what the dyno read");
    // and the answers are what they should be, not merely the same
    assertTrue(router.client().get(0).startsWith("HTTP/1.1 201 Created\nSet-Cookie: s=1; Path=/\nX-Odd: spaced  out\nVia: 1.1 vegur"),
        router.client().get(0));
    assertTrue(router.client().get(3).contains("Content-Length: 42") && router.client().get(3).endsWith("Content-Length: 42\n"),
        "HEAD: the length, and no body: " + router.client().get(3));
    assertTrue(router.client().get(4).contains("Transfer-Encoding: chunked") && router.client().get(4).contains("hello"),
        router.client().get(4));
    assertTrue(router.client().get(9).startsWith("HTTP/1.1 417"), router.client().get(9));
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderThoughOneIsHandedToPekko() throws Exception {
    try (FrontHarness h = new FrontHarness(kit)) {
      h.front(s -> s);
      h.dyno("web.1", DynoState.UP, h.backends.keepAlive(request -> "HTTP/1.1 200 OK\r\nContent-Length: "
          + (request.indexOf(' ', 4) - 4) + "\r\n\r\n" + request.substring(4, request.indexOf(' ', 4))));
      h.awaitUp(1);
      try (Socket s = h.connect()) {
        s.getOutputStream().write(("GET /one HTTP/1.1\r\nHost: shop.localhost\r\n\r\n"
            + "GET /two HTTP/1.1\r\nHost: shop.localhost\r\n\r\n"
            + "GET /three HTTP/1.1\r\nHost: shop.localhost\r\nExpect: bogus\r\n\r\n"
            + "GET /four HTTP/1.1\r\nHost: shop.localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        String got = readToEnd(s);
        List<String> statuses = java.util.regex.Pattern.compile("HTTP/1\\.1 \\d{3} [^\r]*").matcher(got).results()
            .map(java.util.regex.MatchResult::group).toList();
        assertEquals(List.of("HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 417 Expectation Failed", "HTTP/1.1 200 OK"),
            statuses, got);
        assertTrue(got.indexOf("/one") < got.indexOf("/two") && got.indexOf("/two") < got.indexOf("/four"), got);
      }
    }
  }

  @Test
  void aChunkedAnswerThatAClientTakesSlowlyArrivesWholeAndTheConnectionGoesOn() throws Exception {
    int pieces = 256;
    byte[] piece = "x".repeat(64 * 1024).getBytes(StandardCharsets.ISO_8859_1);
    AtomicLong written = new AtomicLong();
    try (FrontHarness h = new FrontHarness(kit)) {
      h.front(s -> s);
      // the first request gets 16 MiB in chunks, each counted as the dyno writes it; the next, "after"
      h.dyno("web.1", DynoState.UP, h.backends.raw(socket -> {
        try (socket) {
          java.io.InputStream in = socket.getInputStream();
          OutputStream out = socket.getOutputStream();
          Backends.readHead(in);
          out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          for (int i = 0; i < pieces; i++) {
            out.write((Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(piece);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            written.addAndGet(piece.length);
          }
          out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          Backends.readHead(in);
          out.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nafter".getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          Backends.readHead(in); // until the router closes the connection
        } catch (IOException gone) {
          // the router closed it
        }
      }));
      h.awaitUp(1);
      try (Socket s = h.connect()) {
        s.setReceiveBufferSize(16 * 1024);
        s.getOutputStream().write("GET /big HTTP/1.1\r\nHost: shop.localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        long meanwhile = Backends.heldUp(written); // the router's writes stall on the client, and it stops reading the dyno
        assertTrue(meanwhile < (long) pieces * piece.length, "the dyno was held up while the client did not read: " + meanwhile);
        java.io.InputStream in = new java.io.BufferedInputStream(s.getInputStream());
        String head = Backends.readHead(in);
        assertTrue(head.startsWith("HTTP/1.1 200 OK") && head.contains("Transfer-Encoding: chunked"), head);
        String body = Backends.body(head, in);
        assertEquals((long) pieces * piece.length, body.chars().filter(c -> c == 'x').count(), "every byte of the body");
        assertTrue(body.endsWith("\r\n0\r\n\r\n"), "the last chunk comes last");
        s.getOutputStream().write("GET /after HTTP/1.1\r\nHost: shop.localhost\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        String after = readToEnd(s);
        assertTrue(after.startsWith("HTTP/1.1 200 OK") && after.endsWith("\r\n\r\nafter"), "the next answer, whole: " + after);
      }
    }
  }

  @Test
  void aClientThatClosesItsSideAfterItsLastRequestGetsTheAnswerWithoutTheRouterSpinning() throws Exception {
    try (FrontHarness h = new FrontHarness(kit)) {
      h.front(s -> s);
      h.dyno("web.1", DynoState.UP, h.backends.keepAlive(request -> {
        Processes.sleep(1_000);
        return "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nslow";
      }));
      h.awaitUp(1);
      long cpuBefore = routerCpuNanos();
      try (Socket s = h.connect()) {
        s.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: shop.localhost\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1));
        s.shutdownOutput(); // a half close, as `nc -N` does: the answer is still wanted
        String got = readToEnd(s);
        assertTrue(got.startsWith("HTTP/1.1 200 OK") && got.endsWith("\r\n\r\nslow"), got);
      }
      long spent = routerCpuNanos() - cpuBefore;
      // a router thread that took the client's end for news again and again would have spent the
      // whole second the dyno took; waiting costs next to nothing
      assertTrue(spent < 500_000_000L, "the router's threads spent " + spent / 1_000_000 + " ms of CPU waiting");
    }
  }

  /** CPU time of this JVM's router threads so far. */
  private static long routerCpuNanos() {
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t != null && t.getThreadName().startsWith("manifold-router-")) {
        sum += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
      }
    }
    return sum;
  }


  @Test
  void aRequestThatComesByteByByteIsReadWhole() throws Exception {
    try (FrontHarness h = new FrontHarness(kit)) {
      h.front(s -> s);
      h.dyno("web.1", DynoState.UP, h.backends.keepAlive(request -> {
        String body = request.substring(request.indexOf("\r\n\r\n") + 4); // the body echoed
        return "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
      }));
      h.awaitUp(1);
      String request = "POST /slowly HTTP/1.1\r\nHost: shop.localhost\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";
      try (Socket s = h.connect()) {
        s.setTcpNoDelay(true);
        OutputStream out = s.getOutputStream();
        for (byte b : request.getBytes(StandardCharsets.ISO_8859_1)) {
          out.write(b);
          out.flush();
          Thread.sleep(2);
        }
        String got = readToEnd(s);
        assertTrue(got.startsWith("HTTP/1.1 200 OK") && got.endsWith("\r\n\r\nhello"), got);
      }
    }
  }
}
