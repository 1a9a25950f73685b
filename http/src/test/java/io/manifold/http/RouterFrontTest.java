package io.manifold.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.manifold.core.dyno.DynoName;
import io.manifold.core.dyno.DynoState;
import io.manifold.core.dyno.DynoStatus;
import io.manifold.core.dyno.Endpoint;
import io.manifold.core.routing.RoundRobinPolicy;
import io.manifold.core.routing.Router;
import io.manifold.core.routing.RoutingTable;
import io.manifold.testing.LogProbe;
import io.manifold.testing.Processes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The router front against real backends on 127.0.0.1: Heroku's headers, codes and log lines. */
@ExtendWith(LogCapturingExtension.class)
class RouterFrontTest {
  static final ActorTestKit kit = ActorTestKit.create("router-front", ConfigFactory.load());
  /** HTTP/1.1: the JDK's default (HTTP/2) offers every request an h2c upgrade, which the router passes on. */
  static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private final RoutingTable table = new RoutingTable();
  private final ActorRef<Router.Command> router = kit.spawn(Router.create(table, app -> new RoundRobinPolicy()));
  private final LogProbe logs = new LogProbe(kit);
  private final Backends backends = new Backends();
  private ServerBinding binding;
  private int port;

  @AfterEach
  void unbind() throws Exception {
    if (binding != null) {
      binding.unbind().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
    backends.close();
  }

  private void front(RouterSettings settings) throws Exception {
    binding = RouterFront.bind(kit.system(), settings.withPort(0), table).toCompletableFuture().get(10, TimeUnit.SECONDS);
    port = binding.localAddress().getPort();
  }

  private void front() throws Exception {
    front(RouterSettings.fromConfig(ConfigFactory.load().getConfig("manifold")));
  }

  private void app() {
    router.tell(new Router.RegisterApp("shop", logs.ref()));
  }

  private void dyno(String name, DynoState state, Integer backendPort) {
    Endpoint endpoint = backendPort == null ? null : new Endpoint("127.0.0.1", backendPort);
    router.tell(new Router.DynoChanged(new DynoStatus("shop", DynoName.parseOrNull(name), state, Instant.now(), endpoint, 1, "web")));
  }

  /** A dyno that reads the request, sends {@code begun} (an answer's start) and goes away 200 ms later. */
  private int diesMidResponse(String begun) throws IOException {
    return backends.raw(socket -> {
      try (socket) {
        Backends.readHead(socket);
        OutputStream out = socket.getOutputStream();
        out.write(begun.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Processes.sleep(200);
      } catch (IOException ignored) {
        // the backend goes away mid-response
      }
    });
  }

  /** Waits (bounded) until the router's table has the app with {@code up} dynos up. */
  private void awaitUp(int up) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      var r = table.routes("shop");
      if (r != null && r.up().size() == up) {
        return;
      }
      Processes.sleep(10);
    }
    throw new AssertionError("the table never had " + up + " up dynos: " + table.routes("shop"));
  }

  private HttpResponse<String> get(String host, String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).header("Host", host);
    headers.forEach(b::header);
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return get("shop.localhost:" + port, path, Map.of());
  }

  private static Map<String, String> echoed(String body) {
    Map<String, String> m = new HashMap<>();
    for (String line : body.split("\n")) {
      int colon = line.indexOf(": ");
      if (colon > 0) {
        m.put(line.substring(0, colon), line.substring(colon + 2));
      }
    }
    return m;
  }

  @Test
  void aHostThatNamesNoAppGetsHerokusNoSuchAppPage() throws Exception {
    front();
    app();
    awaitUp(0);
    HttpResponse<String> r = get("nope.localhost:" + port, "/", Map.of());
    assertEquals(404, r.statusCode());
    assertTrue(r.body().contains("There's nothing here, yet."), r.body());
    assertTrue(r.body().contains("http://shop.localhost:" + port + "/"), "lists the apps that exist: " + r.body());
    assertEquals(404, get("localhost:" + port, "/", Map.of()).statusCode());
    logs.collectFor(Duration.ofMillis(200));
    assertTrue(logs.lines().isEmpty(), "no app, no log: " + logs.dump());
  }

  @Test
  void anAppWithNoWebDynosGetsH14() throws Exception {
    front();
    app();
    awaitUp(0);
    HttpResponse<String> r = get("/cart?item=1");
    assertEquals(503, r.statusCode());
    assertTrue(r.body().contains("Application error"), r.body());
    assertEquals("no-cache, no-store", r.headers().firstValue("Cache-Control").orElse(""));
    String line = logs.await("heroku[router]: ").message();
    assertTrue(line.matches("at=error code=H14 desc=\"No web processes running\" method=GET path=\"/cart\\?item=1\" host=shop\\.localhost:"
        + port + " request_id=" + UUID + " fwd=\"127\\.0\\.0\\.1\" dyno= connect= service= status=503 bytes= protocol=http"), line);
  }

  @Test
  void anAppWhoseWebDynosAllCrashedGetsH10() throws Exception {
    front();
    app();
    dyno("web.1", DynoState.CRASHED, null);
    dyno("web.2", DynoState.CRASHED, null);
    long deadline = System.nanoTime() + 5_000_000_000L;
    while ((table.routes("shop") == null || table.routes("shop").crashed() < 2) && System.nanoTime() < deadline) {
      Processes.sleep(10);
    }
    assertEquals(503, get("/").statusCode());
    assertTrue(logs.await("heroku[router]: ").message().startsWith("at=error code=H10 desc=\"App crashed\" method=GET path=\"/\""));
  }

  @Test
  void aRequestReachesTheDynoWithHerokusHeadersAndWithoutHopByHopOnes() throws Exception {
    front();
    app();
    dyno("web.1", DynoState.UP, backends.echo("web.1"));
    awaitUp(1);
    String clientId = "abcdefghij0123456789+/=-";
    long before = System.currentTimeMillis();
    HttpResponse<String> r = get("shop.localhost:" + port, "/headers?x=1", Map.of(
        "X-Request-Id", clientId,
        "X-Forwarded-For", "10.1.2.3",
        "Via", "1.0 corp-proxy",
        "Proxy-Authorization", "Basic secret",
        "X-Forwarded-Proto", "https",
        "X-Custom", "kept"));
    long after = System.currentTimeMillis();
    assertEquals(200, r.statusCode());
    Map<String, String> seen = echoed(r.body());
    assertEquals("shop.localhost:" + port, seen.get("host"), "the dyno sees the app's host, as on Heroku");
    assertEquals(clientId, seen.get("x-request-id"), "a valid client id is kept");
    assertEquals("10.1.2.3, 127.0.0.1", seen.get("x-forwarded-for"));
    assertEquals("http", seen.get("x-forwarded-proto"));
    assertEquals(Integer.toString(port), seen.get("x-forwarded-port"));
    long start = Long.parseLong(seen.get("x-request-start"));
    assertTrue(start >= before && start <= after, "X-Request-Start is the arrival in epoch ms: " + start);
    assertEquals("1.0 corp-proxy, 1.1 vegur", seen.get("via"));
    assertEquals("kept", seen.get("x-custom"));
    assertFalse(seen.containsKey("proxy-authorization"), "hop-by-hop headers stay with the router: " + seen);
    assertEquals("1.1 vegur", r.headers().firstValue("Via").orElse(""));
    assertEquals("web.1", r.headers().firstValue("X-Backend").orElse(""));

    String line = logs.await("heroku[router]: ").message();
    Matcher m = Pattern.compile("at=info method=GET path=\"/headers\\?x=1\" host=shop\\.localhost:" + port
        + " request_id=" + Pattern.quote(clientId) + " fwd=\"10\\.1\\.2\\.3, 127\\.0\\.0\\.1\" dyno=web\\.1 connect=0ms service=(\\d+)ms status=200 bytes=(\\d+) protocol=http")
        .matcher(line);
    assertTrue(m.matches(), line);
    assertEquals(r.body().getBytes(StandardCharsets.UTF_8).length, Integer.parseInt(m.group(2)));
  }

  @Test
  void anInvalidClientRequestIdIsReplacedByAUuid() throws Exception {
    front();
    app();
    dyno("web.1", DynoState.UP, backends.echo("web.1"));
    awaitUp(1);
    for (String bad : new String[] {"too-short", "has spaces in it and is long enough", "x".repeat(201)}) {
      String seen = echoed(get("shop.localhost:" + port, "/", Map.of("X-Request-Id", bad)).body()).get("x-request-id");
      assertTrue(seen.matches(UUID), bad + " -> " + seen);
    }
  }

  @Test
  void aRequestBodyIsForwarded() throws Exception {
    front();
    app();
    dyno("web.1", DynoState.UP, backends.echo("web.1"));
    awaitUp(1);
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"))
        .header("Host", "shop.localhost").POST(HttpRequest.BodyPublishers.ofString("{\"qty\":2}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals("{\"qty\":2}", echoed(r.body()).get("body"));
    assertTrue(logs.await("heroku[router]: ").message().startsWith("at=info method=POST path=\"/orders\" host=shop.localhost "));
  }

  @Test
  void theRoundRobinPolicySpreadsRequestsOverEveryUpDyno() throws Exception {
    front();
    app();
    dyno("web.1", DynoState.UP, backends.echo("web.1"));
    dyno("web.2", DynoState.UP, backends.echo("web.2"));
    dyno("web.3", DynoState.UP, backends.echo("web.3"));
    awaitUp(3);
    Map<String, Integer> served = new HashMap<>();
    for (int i = 0; i < 9; i++) {
      served.merge(get("/").headers().firstValue("X-Backend").orElseThrow(), 1, Integer::sum);
    }
    assertEquals(Map.of("web.1", 3, "web.2", 3, "web.3", 3), served);
  }

  @Test
  void aDynoThatDoesNotAnswerInTimeGetsH12AndKeepsItsRequest() throws Exception {
    front(RouterSettings.fromConfig(ConfigFactory.load().getConfig("manifold")).withRequestTimeout(Duration.ofMillis(700)));
    app();
    CompletableFuture<Void> dynoFinished = new CompletableFuture<>();
    dyno("web.1", DynoState.UP, backends.http(ex -> {
      Processes.sleep(2_000);
      Backends.reply(ex, 200, "late");
      dynoFinished.complete(null);
    }));
    awaitUp(1);
    long start = System.nanoTime();
    HttpResponse<String> r = get("/slow");
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(503, r.statusCode());
    assertTrue(tookMs >= 650 && tookMs < 1_900, "answered at the time-out, not when the dyno answered: " + tookMs + " ms");
    String line = logs.await("heroku[router]: ").message();
    Matcher m = Pattern.compile("at=error code=H12 desc=\"Request timeout\" method=GET path=\"/slow\" .* dyno=web\\.1 connect=0ms service=(\\d+)ms status=503 bytes=0 protocol=http").matcher(line);
    assertTrue(m.matches(), line);
    assertTrue(Integer.parseInt(m.group(1)) >= 650, line);
    assertEquals(1, table.routes("shop").up().get(0).inFlight(), "the dyno still works on the request");
    dynoFinished.get(10, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (table.routes("shop").up().get(0).inFlight() != 0 && System.nanoTime() < deadline) {
      Processes.sleep(10);
    }
    assertEquals(0, table.routes("shop").up().get(0).inFlight(), "and is free again once it answered");
  }

  @Test
  void requestsWaitWhileTheWebDynosBootAndAreServedOnceOneIsUp() throws Exception {
    front();
    app();
    dyno("web.1", DynoState.STARTING, null);
    long deadline = System.nanoTime() + 5_000_000_000L;
    while ((table.routes("shop") == null || !table.routes("shop").booting()) && System.nanoTime() < deadline) {
      Processes.sleep(10);
    }
    CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return get("/");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Processes.sleep(500);
    assertFalse(waiting.isDone(), "held while the dyno boots");
    dyno("web.1", DynoState.UP, backends.echo("web.1"));
    HttpResponse<String> r = waiting.get(10, TimeUnit.SECONDS);
    assertEquals(200, r.statusCode());
    assertTrue(r.body().startsWith("web.1"), r.body());
  }

  @Test
  void aRequestThatWaitsLongerThanTheBootQueueAllowsGetsH20() throws Exception {
    front(RouterSettings.fromConfig(ConfigFactory.load().getConfig("manifold")).withBootQueueTimeout(Duration.ofMillis(500)));
    app();
    dyno("web.1", DynoState.STARTING, null);
    long deadline = System.nanoTime() + 5_000_000_000L;
    while ((table.routes("shop") == null || !table.routes("shop").booting()) && System.nanoTime() < deadline) {
      Processes.sleep(10);
    }
    assertEquals(503, get("/").statusCode());
    assertTrue(logs.await("heroku[router]: ").message().startsWith("at=error code=H20 desc=\"App boot timeout\""));
  }

  @Test
  void aDynoThatRefusesTheConnectionGetsH21() throws Exception {
    front();
    app();
    dyno("web.1", DynoState.UP, Backends.closedPort());
    awaitUp(1);
    assertEquals(503, get("/").statusCode());
    String line = logs.await("heroku[router]: ").message();
    assertTrue(line.startsWith("at=error code=H21 desc=\"Backend connection refused\""), line);
    assertTrue(line.contains(" dyno=web.1 "), line);
  }

  @Test
  void aDynoThatClosesTheConnectionWithoutAnsweringGetsH13() throws Exception {
    front();
    app();
    dyno("web.1", DynoState.UP, backends.raw(socket -> {
      try (socket) {
        Backends.readHead(socket);
      } catch (IOException ignored) {
        // closing without a word is the point
      }
    }));
    awaitUp(1);
    assertEquals(503, get("/").statusCode());
    String line = logs.await("heroku[router]: ").message();
    assertTrue(line.startsWith("at=error code=H13 desc=\"Connection closed without response\""), line);
  }

  @Test
  void aDynoThatDiesMidResponseGetsH18() throws Exception {
    front();
    app();
    dyno("web.1", DynoState.UP, diesMidResponse("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nContent-Type: text/plain\r\n\r\nonly ten b"));
    awaitUp(1);
    try {
      get("/");
    } catch (IOException expected) {
      // the client sees the connection cut short, as it would on Heroku
    }
    String line = logs.await("heroku[router]: ").message();
    assertTrue(line.startsWith("sock=backend at=error code=H18 desc=\"Server Request Interrupted\""), line);
    assertTrue(line.contains(" dyno=web.1 ") && line.contains(" bytes=10 "), line);
  }

  @Test
  void aResponseCutShortByTheDynoIsResetAtTheClientNotEndedAsIfComplete() throws Exception {
    front();
    app();
    dyno("web.1", DynoState.UP, diesMidResponse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"));
    awaitUp(1);
    // an HTTP/1.0 client: its answer has no length and ends when the connection does, so only a
    // reset (not a normal close) tells it that the body was cut short
    try (java.net.Socket client = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      client.setSoTimeout(10_000);
      client.getOutputStream().write("GET / HTTP/1.0\r\nHost: shop.localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      java.io.InputStream in = client.getInputStream();
      java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
      IOException reset = null;
      try {
        for (int b = in.read(); b >= 0 && got.size() < 100_000; b = in.read()) {
          got.write(b);
        }
      } catch (IOException e) {
        reset = e;
      }
      String head = got.toString(StandardCharsets.US_ASCII);
      assertTrue(head.startsWith("HTTP/1.1 200 OK") && !head.contains("Content-Length"), head);
      assertTrue(reset != null && !(reset instanceof java.net.SocketTimeoutException),
          "the connection was reset, not closed as if the answer were whole: " + reset + ", got " + head);
    }
    String line = logs.await("heroku[router]: ").message();
    assertTrue(line.startsWith("sock=backend at=error code=H18 "), line);
  }

  @Test
  void aStreamedResponsePassesThroughAndIsCountedWhenDone() throws Exception {
    front();
    app();
    dyno("web.1", DynoState.UP, backends.http(ex -> {
      ex.sendResponseHeaders(200, 0); // chunked
      try (OutputStream out = ex.getResponseBody()) {
        for (int i = 1; i <= 3; i++) {
          out.write(("chunk " + i + "\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
          Processes.sleep(50);
        }
      }
    }));
    awaitUp(1);
    HttpResponse<String> r = get("/stream");
    assertEquals("chunk 1\nchunk 2\nchunk 3\n", r.body());
    String line = logs.await("heroku[router]: ").message();
    assertTrue(line.contains(" status=200 bytes=24 "), line);
  }
}
