package io.manifold.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.manifold.core.app.App;
import io.manifold.core.app.AppHandle;
import io.manifold.core.app.AppView;
import io.manifold.core.dyno.DynoState;
import io.manifold.core.logs.LogChannel;
import io.manifold.core.logs.LogFilter;
import io.manifold.core.logs.LogLine;
import io.manifold.testing.Examples;
import io.manifold.testing.Processes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The example app (single-file Java web and worker processes) on a local manifold, with real HTTP
 * requests through the router on 127.0.0.1: responses, headers, round-robin over 3 web dynos, the
 * router's log lines, a crash on request, and no process left once the manifold stops.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalManifoldEndToEndTest {
  static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static LocalManifold manifold;
  static AppHandle app;

  @org.junit.jupiter.api.io.TempDir
  static java.nio.file.Path data;

  @BeforeAll
  static void start() {
    manifold = LocalManifold.start(ConfigFactory.parseMap(Map.of(
        "manifold.data-dir", data.toString(),
        "manifold.router.port", 0,
        "manifold.api.port", 0,
        "manifold.user", "e2e@manifold.test",
        "manifold.router.policy", "round-robin",
        "manifold.dyno.stop-grace", "10s")));
    app = manifold.createApp("hello", Examples.hello(), Map.of("GREETING", "Hi"), Map.of("web", 3, "worker", 1));
    awaitInfo(info -> info.dynos().stream().filter(d -> d.status().state() == DynoState.UP).count() == 4, Duration.ofSeconds(90));
  }

  @AfterAll
  static void stop() {
    if (manifold != null) {
      manifold.close();
    }
  }

  static AppView awaitInfo(Predicate<AppView> condition, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    AppView info = null;
    while (System.nanoTime() < deadline) {
      info = AskPattern.<App.Command, AppView>ask(app.app(), App.GetView::new, Duration.ofSeconds(5),
          manifold.system().scheduler()).toCompletableFuture().join();
      if (condition.test(info)) {
        return info;
      }
      Processes.sleep(100);
    }
    throw new AssertionError("the app never got there; last: " + info);
  }

  /**
   * The app's router lines once one matches {@code line}, waiting up to 5 s: they reach the channel
   * in batches, a few milliseconds after the answer.
   */
  static List<LogLine> routerLinesOnce(java.util.function.Predicate<LogLine> line) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    List<LogLine> router = log(new LogFilter("heroku", "router"));
    while (router.stream().noneMatch(line) && System.nanoTime() < deadline) {
      Processes.sleep(50);
      router = log(new LogFilter("heroku", "router"));
    }
    return router;
  }

  static List<LogLine> log(LogFilter filter) {
    return AskPattern.<LogChannel.Command, LogChannel.Lines>ask(app.logs(), r -> new LogChannel.Fetch(filter, 1500, r),
        Duration.ofSeconds(5), manifold.system().scheduler()).toCompletableFuture().join().lines();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + manifold.port() + path))
        .header("Host", "hello.localhost:" + manifold.port()).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Order(1)
  void requestsThroughTheRouterAreServedByAllThreeWebDynosInTurn() throws Exception {
    assertEquals("http://hello.localhost:" + manifold.port() + "/", manifold.appUrl("hello"));
    Map<String, Integer> served = new HashMap<>();
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      HttpResponse<String> r = get("/");
      assertEquals(200, r.statusCode());
      assertTrue(r.body().matches("Hi from web\\.[123]\n"), r.body());
      String dyno = r.body().substring(8, 13);
      served.merge(dyno, 1, Integer::sum);
      order.add(dyno);
      assertEquals("1.1 vegur", r.headers().firstValue("Via").orElse(""));
    }
    assertEquals(Map.of("web.1", 3, "web.2", 3, "web.3", 3), served, "round-robin: " + order);
    assertEquals(order.subList(0, 3), order.subList(3, 6), "the same turn every time: " + order);
  }

  @Test
  @Order(2)
  void theDynoSeesHerokusHeadersAndTheRouterLogsEachRequest() throws Exception {
    HttpResponse<String> r = get("/headers");
    assertTrue(r.body().contains("Host: hello.localhost:" + manifold.port()), r.body());
    assertTrue(r.body().contains("X-forwarded-for: 127.0.0.1"), r.body());
    assertTrue(r.body().contains("X-forwarded-port: " + manifold.port()), r.body());
    assertTrue(r.body().contains("Via: 1.1 vegur"), r.body());
    String requestId = r.body().lines().filter(l -> l.startsWith("X-request-id: ")).findFirst().orElseThrow().substring(14);

    List<LogLine> router = routerLinesOnce(l -> l.message().contains(requestId));
    String line = router.stream().filter(l -> l.message().contains(requestId)).findFirst().orElseThrow().format();
    assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00 heroku\\[router\\]: at=info method=GET path=\"/headers\" "
        + "host=hello\\.localhost:" + manifold.port() + " request_id=" + requestId + " fwd=\"127\\.0\\.0\\.1\" dyno=web\\.[123] "
        + "connect=0ms service=\\d+ms status=200 bytes=\\d+ protocol=http"), line);
    assertTrue(router.stream().filter(l -> l.message().startsWith("at=info method=GET path=\"/\" ")).count() >= 9);
  }

  @Test
  @Order(3)
  void theWorkerAndTheDynoManagerWriteToTheSameLog() {
    List<String> all = log(LogFilter.ALL).stream().map(l -> l.tag() + ": " + l.message()).toList();
    assertTrue(all.contains("app[api]: Release v1 created by user e2e@manifold.test"), String.join("\n", all));
    assertTrue(all.contains("app[api]: Scale to web=3, worker=1 by user e2e@manifold.test"), String.join("\n", all));
    assertTrue(all.stream().anyMatch(l -> l.matches("app\\[api\\]: Deploy [0-9a-f]{7} by user e2e@manifold\\.test")), String.join("\n", all));
    assertTrue(all.contains("heroku[worker.1]: State changed from starting to up"), String.join("\n", all));
    assertTrue(all.contains("app[worker.1]: worker.1 started, working"), String.join("\n", all));
    for (String web : List.of("web.1", "web.2", "web.3")) {
      assertTrue(all.contains("heroku[" + web + "]: State changed from starting to up"), String.join("\n", all));
      assertTrue(all.stream().anyMatch(l -> l.startsWith("app[" + web + "]: " + web + " listening on 127.0.0.1:")), String.join("\n", all));
    }
  }

  @Test
  @Order(4)
  void aCrashOnRequestIsH13AndTheDynoComesBack() throws Exception {
    HttpResponse<String> r = get("/crash");
    assertEquals(503, r.statusCode());
    // the router's line comes in a batch a few milliseconds after the answer
    awaitInfo(info -> info.dynos().stream().filter(d -> d.status().state() == DynoState.UP).count() == 4
        && log(new LogFilter("heroku", null)).stream().anyMatch(l -> l.message().equals("State changed from crashed to starting"))
        && log(new LogFilter("heroku", "router")).stream().anyMatch(l -> l.message().contains(" path=\"/crash\" ")),
        Duration.ofSeconds(60));
    List<String> heroku = log(new LogFilter("heroku", null)).stream().map(l -> l.tag() + ": " + l.message()).toList();
    assertTrue(heroku.stream().anyMatch(l -> l.startsWith("heroku[router]: at=error code=H13 desc=\"Connection closed without response\" method=GET path=\"/crash\"")),
        String.join("\n", heroku));
    assertTrue(heroku.stream().anyMatch(l -> l.matches("heroku\\[web\\.[123]\\]: Process exited with status 1")), String.join("\n", heroku));
    assertTrue(heroku.stream().anyMatch(l -> l.matches("heroku\\[web\\.[123]\\]: State changed from up to crashed")), String.join("\n", heroku));
    assertEquals(200, get("/").statusCode());
  }

  @Test
  @Order(5)
  void maintenanceSetThroughTheApiIsH80AtTheRouterAndTheMetricsCountIt() throws Exception {
    HttpRequest.Builder api = HttpRequest.newBuilder(URI.create(manifold.apiUrl() + "/apps/hello"))
        .header("Authorization", "Bearer " + manifold.token()).header("Accept", "application/vnd.heroku+json; version=3")
        .header("Content-Type", "application/json");
    assertEquals(200, client.send(api.method("PATCH", HttpRequest.BodyPublishers.ofString("{\"maintenance\":true}")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode());
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    HttpResponse<String> r = get("/");
    while (r.statusCode() != 503 && System.nanoTime() < deadline) {
      Processes.sleep(50);
      r = get("/");
    }
    assertEquals(503, r.statusCode());
    List<LogLine> router = routerLinesOnce(l -> l.message().startsWith("at=info code=H80 "));
    assertTrue(router.stream().anyMatch(l -> l.message().startsWith("at=info code=H80 desc=\"Maintenance mode\"")), router.toString());
    client.send(api.method("PATCH", HttpRequest.BodyPublishers.ofString("{\"maintenance\":false}")).build(), HttpResponse.BodyHandlers.ofString());

    HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(URI.create(manifold.apiUrl() + "/metrics"))
        .header("Authorization", "Bearer " + manifold.token()).header("Accept", "application/vnd.heroku+json; version=3").build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, metrics.statusCode(), metrics.body());
    assertTrue(metrics.body().contains("manifold_router_requests_total{") && metrics.body().contains("code=\"H80\""), metrics.body());
    assertTrue(metrics.body().contains("manifold_dynos{"), metrics.body());
    assertTrue(metrics.body().contains("manifold_cluster_members{status=\"up\"} 1"), "the node counts itself up: " + metrics.body());
  }

  @Test
  @Order(6)
  void anUnknownAppIsA404AndNoChildProcessOutlivesTheManifold() throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + manifold.port() + "/"))
        .header("Host", "nope.localhost").build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(404, r.statusCode());
    assertTrue(Processes.descendants().size() >= 4, "the dynos run as child processes: " + Processes.descendants());
    manifold.close();
    List<String> left = Processes.awaitNoDescendants(Duration.ofSeconds(5));
    assertTrue(left.isEmpty(), "processes left behind: " + left);
    manifold = null;
  }
}
