package io.manifold.sim.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.core.dyno.DynoName;
import io.manifold.core.dyno.DynoRuntime;
import io.manifold.core.dyno.DynoSpec;
import io.manifold.core.dyno.Endpoint;
import io.manifold.sim.live.RawHttp.Answer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The synthetic web dyno's HTTP/1.1, and the node's death, without the {@code Dyno} in between. */
class LiveSyntheticHttpTest {
  static final LiveSyntheticRuntime runtime = new LiveSyntheticRuntime();
  static final RawHttp http = new RawHttp();

  @AfterAll
  static void stop() {
    runtime.close();
    http.close();
  }

  private static final List<String> output = new CopyOnWriteArrayList<>();

  private static DynoRuntime.Running launch(String app, String dyno, Map<String, String> env) {
    DynoSpec spec = new DynoSpec(app, DynoName.parseOrNull(dyno), "synthetic", env, 1, Path.of("."));
    return runtime.launch(spec, output::add).toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
  }

  private static int bound(DynoRuntime.Running r) {
    Endpoint e = r.bound().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
    assertEquals(r.port(), e.port());
    return e.port();
  }

  @Test
  void requestsFollowOneAnotherOnAKeptAliveConnectionAndRequestsSentEarlyWaitTheirTurn() throws Exception {
    DynoRuntime.Running r = launch("keep", "web.1", Map.of());
    int port = bound(r);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write("GET /a HTTP/1.1\r\nHost: x\r\nX-Manifold-Service: 1ms\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      assertEquals(200, RawHttp.read(in).status());
      // a POST with a body, a chunked POST and a HEAD, all in one write
      out.write(("POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nX-Manifold-Service: 1ms\r\n\r\nhello"
          + "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nX-Manifold-Service: 2ms\r\n\r\n"
          + "3\r\nabc\r\n0\r\n\r\n"
          + "HEAD /d HTTP/1.1\r\nHost: x\r\nX-Manifold-Service: 3ms\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      Answer b = RawHttp.read(in);
      Answer c = RawHttp.read(in);
      assertEquals("1000000ns", b.header("X-Manifold-Service"));
      assertEquals("2000000ns", c.header("X-Manifold-Service"));
      // HEAD: the length of the body it would have, and no body
      out.write("GET /e HTTP/1.1\r\nHost: x\r\nX-Manifold-Service: 4ms\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      String rest = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      int second = rest.indexOf("HTTP/1.1 200 OK", 1);
      assertTrue(second > 0, rest);
      String headAnswer = rest.substring(0, second);
      assertTrue(headAnswer.startsWith("HTTP/1.1 200 OK\r\n") && headAnswer.contains("X-Manifold-Service: 3000000ns\r\n"), rest);
      assertTrue(headAnswer.contains("Content-Length: 6\r\n") && headAnswer.endsWith("\r\n\r\n"), "no body after HEAD: " + rest);
      String last = rest.substring(second);
      assertTrue(last.contains("X-Manifold-Service: 4000000ns\r\n") && last.contains("Connection: close") && last.endsWith("web.1\n"), rest);
    }
  }

  @Test
  void theJdkClientGetsItsAnswersOverKeptAliveConnections() throws Exception {
    int port = bound(launch("jdk", "web.1", Map.of("SYNTHETIC_SERVICE", "1ms")));
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> res = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x?i=" + i))
          .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, res.statusCode());
      assertEquals("web.1\n", res.body());
    }
    assertEquals(20, runtime.dyno("jdk", "web.1").orElseThrow().served());
  }

  @Test
  void aRequestsOwnDrawGivesItTheSameServiceTimeOnEveryDynoOfOneModelAndAnotherUnderAnotherModel() {
    int a = bound(launch("draw", "web.1", Map.of("SYNTHETIC_SERVICE", "exponential(mean=2ms)")));
    int b = bound(launch("draw", "web.2", Map.of("SYNTHETIC_SERVICE", "exponential(mean=2ms)")));
    int slow = bound(launch("draw", "web.3", Map.of("SYNTHETIC_SERVICE", "exponential(mean=20ms)")));
    String request = "GET / HTTP/1.1\r\nHost: x\r\nX-Manifold-Draw: 8675309\r\nConnection: close\r\n\r\n";
    String onA = RawHttp.exchange(a, request).header("X-Manifold-Service");
    assertEquals(onA, RawHttp.exchange(b, request).header("X-Manifold-Service"), "one draw, one model: one service time");
    assertEquals(onA, RawHttp.exchange(a, request).header("X-Manifold-Service"));
    long fast = Long.parseLong(onA.replace("ns", ""));
    long tenTimes = Long.parseLong(RawHttp.exchange(slow, request).header("X-Manifold-Service").replace("ns", ""));
    assertEquals(10.0 * fast, tenTimes, 10, "the same draw through a mean ten times longer (to the rounded nanosecond)");
    assertEquals(400, RawHttp.exchange(a, "GET / HTTP/1.1\r\nX-Manifold-Draw: soon\r\n\r\n").status());
  }

  @Test
  void aMalformedRequestIsAnswered400AndItsConnectionClosed() {
    int port = bound(launch("bad", "web.1", Map.of()));
    Answer a = RawHttp.exchange(port, "NONSENSE\r\n\r\n");
    assertEquals(400, a.status());
    assertEquals("close", a.header("Connection"));
    Answer big = RawHttp.exchange(port, "GET / HTTP/1.1\r\nX-Big: " + "x".repeat(70_000) + "\r\n\r\n");
    assertEquals(431, big.status());
  }

  @Test
  void aClientThatLeavesDoesNotStopTheRequestItLeft() throws Exception {
    DynoRuntime.Running r = launch("gone", "web.1", Map.of());
    int port = bound(r);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.getOutputStream().write("GET / HTTP/1.1\r\nX-Manifold-Service: 300ms\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      DynoHarness.await("in service", () -> runtime.dyno("gone", "web.1").orElseThrow().inService() == 1);
    }
    DynoHarness.await("served to nobody", () -> runtime.dyno("gone", "web.1").orElseThrow().served() == 1);
    assertEquals(200, http.send(port, "1ms").orTimeout(20, TimeUnit.SECONDS).join().status());
  }

  @Test
  void whenTheNodeDiesEveryDynoGoesAtOnceWithoutReportingAnExit() {
    LiveSyntheticRuntime node = new LiveSyntheticRuntime();
    try {
      DynoSpec spec = new DynoSpec("dead", new DynoName("web", 1), "synthetic", Map.of(), 1, Path.of("."));
      DynoRuntime.Running r = node.launch(spec, line -> { }).toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
      int port = bound(r);
      CompletableFuture<Answer> held = http.send(port, "10m");
      DynoHarness.await("in service", () -> node.dyno("dead", "web.1").map(v -> v.inService() == 1).orElse(false));
      node.killAll();
      assertTrue(held.orTimeout(20, TimeUnit.SECONDS).join().closed());
      DynoHarness.await("the port closes", () -> RawHttp.refuses(port));
      assertFalse(r.exited().toCompletableFuture().isDone(), "a dead node reports nothing");
      assertTrue(r.memoryBytes().isEmpty());
      assertEquals(0, node.running());
      CompletableFuture<DynoRuntime.Running> after = node.launch(spec, line -> { }).toCompletableFuture();
      DynoHarness.sleep(200);
      assertFalse(after.isDone(), "a dead node starts nothing");
    } finally {
      node.close();
    }
  }
}
