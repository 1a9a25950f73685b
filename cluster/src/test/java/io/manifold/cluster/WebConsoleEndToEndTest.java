package io.manifold.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.manifold.core.dyno.ProcessRuntime;
import io.manifold.testing.Processes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in a real headless Chromium against a real manifold of three nodes whose web
 * dynos are real processes (the example app's {@code Web.java}): a person logs in through node-1's
 * API, scales, tails the log while requests go through two nodes' routers and sees both counted,
 * puts the app in maintenance and sees H80, rolls back a release, is shown the API's error, watches
 * the cluster with the dynos on their nodes, and sees a node die and its dynos come back on the
 * others. Screenshots of the app page and of the cluster view before and after the loss are left in
 * {@code target/console-screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebConsoleEndToEndTest {
  static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  static final String TOKEN = "console-e2e-token-0123456789";
  static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static LocalManifold manifold;
  static Browser browser;
  static Path data;

  @TempDir
  static Path temp;

  @BeforeAll
  static void start() throws Exception {
    Browser.assumeInstalled();
    data = Files.createDirectories(temp.resolve("data"));
    Path run = Files.createDirectories(data.resolve("scenarios").resolve("2026-01-01-kill-a-dyno"));
    Files.writeString(run.resolve("report.json"),
        "{\"scenario\":\"kill-a-dyno\",\"started_at\":\"2026-01-01T10:00:00Z\",\"finished_at\":\"2026-01-01T10:01:05Z\",\"outcome\":\"passed\",\"summary\":\"3 of 3 expectations met\"}");
    Files.writeString(run.resolve("report.html"), "<!doctype html><title>kill-a-dyno</title><h1>kill-a-dyno: passed</h1>");
    // three nodes sharing the H2 journal in the data directory: an app whose entity lived on the lost node recovers from it
    manifold = LocalManifold.start(ConfigFactory.parseMap(Map.of(
        "manifold.nodes", 3,
        "manifold.data-dir", data.toString(),
        "manifold.router.port", 0,
        "manifold.api.port", 0,
        "manifold.api.token", TOKEN,
        "manifold.user", "console@manifold.test",
        "manifold.dyno.stop-grace", "5s")));
    // the example's Web.java compiled once, so that a web dyno starts in a fraction of a second; workers are shell sleeps
    manifold.createApp("hello", ClusterHarness.app(temp, "hello"), Map.of(), Map.of());
    browser = new Browser(Files.createDirectories(temp.resolve("chromium-profile")));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (manifold != null) {
      manifold.close();
      List<String> left = Processes.awaitNoDescendants(Duration.ofSeconds(10));
      assertTrue(left.isEmpty(), "processes left behind: " + left);
    }
  }

  /** A request through node-1's router, as a browser would send it to http://hello.localhost:PORT/. */
  static HttpResponse<String> request(String path, String requestId) throws Exception {
    return request(1, path, requestId);
  }

  /** A request through node {@code node}'s router. */
  static HttpResponse<String> request(int node, String path, String requestId) throws Exception {
    int port = manifold.node(node).routerPort();
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Host", "hello.localhost:" + port).header("X-Request-Id", requestId)
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The truth the console is checked against: each of hello's dynos with the node whose runtime runs its process. */
  static Map<String, String> running() {
    Map<String, String> m = new TreeMap<>();
    for (ManifoldNode n : manifold.nodes()) {
      if (!n.terminated()) {
        for (ProcessRuntime.Live l : n.processes()) {
          if (l.app().equals("hello") && Processes.alive(l.pid())) {
            m.put(l.dyno().toString(), n.name());
          }
        }
      }
    }
    return m;
  }

  /** What the cluster view shows: each of hello's dynos with its node card and state ({@code node-2 up}). */
  @SuppressWarnings("unchecked")
  static Map<String, String> shownOnNodes() {
    return new TreeMap<>((Map<String, String>) browser.driver.executeScript("""
        const m = {};
        document.querySelectorAll('.node-card').forEach(card => card.querySelectorAll('tr[data-app=hello]').forEach(
          row => { m[row.dataset.dyno] = card.dataset.node + ' ' + row.dataset.state; }));
        return m;"""));
  }

  /** {@code running()} as the cluster view should show it once every dyno is up. */
  static Map<String, String> allUp(Map<String, String> running) {
    Map<String, String> m = new TreeMap<>();
    running.forEach((dyno, node) -> m.put(dyno, node + " up"));
    return m;
  }

  static String logText() {
    return browser.text("#log-lines");
  }

  static String problems() {
    return browser.text("#problems");
  }

  @Test
  @Order(1)
  void aWrongTokenIsRefusedWithTheApisWordsAndTheRightOneShowsTheApps() {
    browser.open(manifold.apiUrl() + "/");
    browser.type("#token", "not-the-token");
    browser.click("#login-submit");
    browser.await("the API's refusal", d -> problems().contains("Invalid credentials provided.") && problems().contains("unauthorized"));
    assertTrue(browser.element("#token").isDisplayed(), "still at the login");

    browser.type("#token", TOKEN);
    browser.click("#login-submit");
    browser.element("tr[data-app=hello] a").click();
    browser.await("the app's page", d -> browser.text("#formation tr[data-type=web]").contains("web"));
    assertEquals("console@manifold.test", browser.text("#account"));
    assertEquals(TOKEN, browser.driver.executeScript("return sessionStorage.getItem('manifold.token')"),
        "kept in the tab's session");
    assertEquals(0L, browser.driver.executeScript("return localStorage.length"), "and nowhere that outlives it");
  }

  @Test
  @Order(2)
  void scalingWebToTwoShowsBothDynosUpOnTheirNode() {
    browser.type("#scale-type", "web");
    browser.type("#scale-quantity", "2");
    browser.click("#scale-submit");
    browser.await("web at 2 in the formation", d -> browser.text("#formation tr[data-type=web] .quantity").equals("2"));
    browser.await("web.1 and web.2 up", Duration.ofSeconds(90), d ->
        browser.all("#dynos tr[data-dyno^='web.'][data-state=up]").size() == 2);
    browser.await("each dyno shown on the node that runs it", d -> running().size() == 2
        && running().get("web.1").equals(browser.text("#dynos tr[data-dyno='web.1'] .node"))
        && running().get("web.2").equals(browser.text("#dynos tr[data-dyno='web.2'] .node")));
    assertEquals(2, browser.all("#dynos tr[data-dyno^='web.'] button[data-action=restart]").size());
    assertEquals(2, browser.all("#dynos tr[data-dyno^='web.'] button[data-action=stop]").size());
  }

  @Test
  @Order(3)
  void theLogTailShowsTheRouterLineOfARequestAndTheChartsCountIt() throws Exception {
    new Select(browser.element("#log-source")).selectByValue("heroku");
    browser.type("#log-dyno", "router");
    browser.click("#log-start");
    browser.await("the tail open", d -> browser.text("#log-status").equals("Tailing (source heroku, dyno router)."));
    String id = "console-" + UUID.randomUUID();
    HttpResponse<String> r = request("/", id);
    assertEquals(200, r.statusCode(), r.body());
    browser.await("the request's router line", d -> logText().contains("request_id=" + id));
    String line = browser.all("#log-lines li").stream().map(WebElement::getText).filter(t -> t.contains(id)).findFirst().orElseThrow();
    assertTrue(line.matches(".*heroku\\[router\\]: at=info method=GET path=\"/\" host=hello\\.localhost:\\d+ request_id=" + id
        + " fwd=\"127\\.0\\.0\\.1\" dyno=web\\.[12] connect=\\d+ms service=\\d+ms status=200 bytes=\\d+ protocol=http"), line);
    assertTrue(browser.all("#log-lines li").stream().allMatch(li -> li.getText().contains("heroku[router]")), "only the router's lines");

    for (int i = 0; i < 20; i++) {
      request("/", "console-load-" + i);
    }
    for (int i = 0; i < 7; i++) {
      assertEquals(200, request(2, "/", "console-node-2-" + i).statusCode());
    }
    // node-1's API answers with every node's router: node-2's requests are counted with node-1's
    browser.await("the router's figures over the nodes",
        d -> browser.text("#router-load").matches("(2[8-9]|[3-9]\\d|\\d{3,}) requests in all.*the routers of 3 nodes"));
    browser.await("a rate on the chart", d -> !browser.text("#chart-rps figcaption [data-key=requests_per_second]").contains("–"));
    browser.click("#router-nodes-box summary");
    browser.await("node-2's own count", d -> "7".equals(browser.attribute("#router-nodes tr[data-node=node-2]", "data-requests")));
    assertEquals(3, browser.all("#router-nodes tr[data-node]").size(), browser.text("#router-nodes"));
    assertTrue(browser.element("#router-missing").getAttribute("hidden") != null, "no node left out");
  }

  @Test
  @Order(4)
  void maintenanceModeIsH80FromTheRouterInTheLogAndTheErrorChart() throws Exception {
    browser.click("#maintenance");
    browser.await("maintenance on", d -> "true".equals(browser.attribute("#maintenance", "aria-pressed")));
    String id = "console-maintenance-" + UUID.randomUUID();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    HttpResponse<String> r = request("/", id);
    while (r.statusCode() != 503 && System.nanoTime() < deadline) { // the router hears of it a moment after the API answers
      id = "console-maintenance-" + UUID.randomUUID();
      r = request("/", id);
    }
    assertEquals(503, r.statusCode());
    String requestId = id;
    browser.await("the H80 line", d -> browser.all("#log-lines li").stream()
        .anyMatch(li -> li.getText().contains("code=H80") && li.getText().contains("request_id=" + requestId)));
    browser.await("H80 on the error chart", d -> browser.all("#chart-errors li[data-code=H80]").size() == 1);
    browser.screenshot(SCREENSHOTS.resolve("app.png"));

    browser.click("#maintenance");
    browser.await("maintenance off", d -> "false".equals(browser.attribute("#maintenance", "aria-pressed")));
    browser.click("#log-stop");
  }

  @Test
  @Order(5)
  void settingAConfigVarIsAReleaseAndRollingBackUndoesIt() {
    int before = currentVersion();
    browser.type("#config-key", "GREETING");
    browser.type("#config-value", "Ahoy");
    browser.click("#config-set");
    browser.await("the new release", d -> currentVersion() == before + 1);
    browser.await("the var", d -> browser.all("#config tr[data-key=GREETING]").size() == 1);
    assertEquals("Set GREETING config vars", browser.text("#releases tr[data-current=true] .description"));

    browser.click("#releases tr[data-version='" + before + "'] button[data-action=rollback]");
    browser.await("the rollback release", d -> currentVersion() == before + 2);
    assertEquals("Rollback to v" + before, browser.text("#releases tr[data-current=true] .description"));
    browser.await("the var gone again", d -> browser.all("#config tr[data-key=GREETING]").isEmpty());
  }

  static int currentVersion() {
    String v = browser.attribute("#releases tr[data-current=true]", "data-version");
    return v == null ? -1 : Integer.parseInt(v);
  }

  @Test
  @Order(6)
  void theApisErrorIsShownWithItsMessageAndId() {
    browser.type("#scale-type", "nope");
    browser.type("#scale-quantity", "1");
    browser.click("#scale-submit");
    WebElement problem = browser.await("the API's error", d -> browser.all("#problems .problem").stream()
        .filter(p -> p.getText().contains("PATCH /apps/hello/formation")).findFirst().orElse(null));
    String id = problem.findElement(By.cssSelector(".id")).getText();
    String message = problem.findElement(By.cssSelector(".message")).getText();
    assertTrue(id.equals("not_found") || id.equals("invalid_params"), "Heroku's error id: " + problem.getText());
    assertTrue(message.contains("nope"), "the API's message names the type: " + message);

    browser.open(manifold.apiUrl() + "/#/apps/nope");
    browser.await("no such app", d -> browser.text("#no-app").startsWith("Couldn't find that app."));
    assertTrue(problems().contains("Couldn't find that app.") && problems().contains("not_found") && problems().contains("GET /apps/nope"),
        problems());
    browser.open(manifold.apiUrl() + "/#/apps/hello");
    browser.element("#formation tr[data-type=web]");
  }

  @Test
  @Order(7)
  void theClusterViewShowsTheThreeNodesAndEachDynoOnTheNodeThatRunsIt() throws Exception {
    // workers too (shell sleeps), so that every node is likely to run some
    browser.type("#scale-type", "worker");
    browser.type("#scale-quantity", "4");
    browser.click("#scale-submit");
    browser.await("worker at 4 in the formation", d -> browser.text("#formation tr[data-type=worker] .quantity").equals("4"));

    browser.click("#nav a[data-section=cluster]");
    for (String node : List.of("node-1", "node-2", "node-3")) {
      browser.element(".node-card[data-node=" + node + "]");
      assertEquals("up", browser.attribute(".node-card[data-node=" + node + "]", "data-status"), node);
    }
    browser.await("every dyno up on its node", Duration.ofSeconds(90), d -> running().size() == 6 && shownOnNodes().equals(allUp(running())));
    assertEquals("3 nodes, 3 up; 6 dynos.", browser.text("#cluster-summary").replaceAll(" Updated .*", ""));
    browser.screenshot(SCREENSHOTS.resolve("cluster.png"));
  }

  @Test
  @Order(8)
  void aNodeLossIsSeenAsItHappensAndItsDynosComeBackOnTheOthers() throws Exception {
    // the browser talks to node-1's API: the node lost is whichever of the others runs more dynos
    Map<String, String> before = running();
    int victim = Collections.frequency(before.values(), "node-2") >= Collections.frequency(before.values(), "node-3") ? 2 : 3;
    String lost = "node-" + victim;
    List<String> itsDynos = before.entrySet().stream().filter(e -> e.getValue().equals(lost)).map(Map.Entry::getKey).toList();
    assertFalse(itsDynos.isEmpty(), "the node to lose runs some dynos: " + before);

    manifold.kill(victim);
    browser.await(lost + " no longer up", Duration.ofSeconds(20), d -> !"up".equals(browser.attribute(".node-card[data-node=" + lost + "]", "data-status")));
    browser.await("the loss in the changes", d -> browser.all("#changes li.loss").stream().anyMatch(li -> li.getText().contains(lost)));
    browser.await("its dynos up again on the others", Duration.ofSeconds(90), d -> {
      Map<String, String> now = running();
      return now.keySet().equals(before.keySet()) && !now.containsValue(lost) && shownOnNodes().equals(allUp(now));
    });
    assertTrue(browser.all(".node-card[data-node=" + lost + "] tr[data-app=hello]").isEmpty(), "nothing shown on the lost node");
    String changes = browser.text("#changes");
    for (String dyno : itsDynos) {
      assertTrue(changes.lines().anyMatch(line -> line.contains("hello " + dyno + " ") && line.contains(lost)),
          dyno + " seen leaving " + lost + ":\n" + changes);
    }
    browser.screenshot(SCREENSHOTS.resolve("cluster-after-loss.png"));
  }

  @Test
  @Order(9)
  void theScenarioViewShowsTheRunGoingOnAndListsReports() throws Exception {
    browser.click("#nav a[data-section=scenarios]");
    browser.await("no run going on", d -> browser.text("#no-scenario").equals("No scenario running."));

    // what the scenario runner writes about every second while a run goes on (LiveReport: the same
    // fields, which ConsoleLiveViewContractTest in the scenarios module holds the writer and the page to)
    Path running = Files.createDirectories(data.resolve("scenarios").resolve("2026-01-02-kill-a-node"));
    StringBuilder points = new StringBuilder();
    for (int t = 0; t <= 40; t++) {
      boolean hurt = t > 10 && t < 25;
      points.append(t == 0 ? "" : ",").append("{\"t\":").append(t).append(".0,\"requests_per_second\":50,\"ok_per_second\":")
          .append(t > 10 && t < 14 ? "47.0" : "50.0").append(",\"p50_ms\":").append(hurt ? 40.0 : 4.0)
          .append(",\"p99_ms\":").append(hurt ? 900.0 : 20.0).append(",\"errors\":{").append(t > 10 && t < 14 ? "\"H13\":3" : "")
          .append("},\"dynos_up\":").append(hurt ? 4 : 6).append(",\"dynos_wanted\":6}");
    }
    Path live = running.resolve("live.json");
    Files.writeString(live, "{\"state\":\"running\",\"scenario\":\"kill-a-node\",\"app\":\"hello\",\"apps\":[\"hello\"],"
        + "\"started_at\":\"2026-01-02T10:00:00.000Z\",\"elapsed_seconds\":40.2,\"duration_seconds\":60.0,\"bucket_seconds\":1.0,"
        + "\"faults\":[{\"index\":1,\"name\":\"kill-node\",\"description\":\"kill node 2 at 10s for 15s\",\"target\":\"node-2\","
        + "\"from_seconds\":10.0,\"to_seconds\":25.0,\"problem\":null},"
        + "{\"index\":2,\"name\":\"kill-node\",\"description\":\"kill node 7 at 30s\",\"target\":\"node-7\","
        + "\"from_seconds\":30.0,\"to_seconds\":null,\"problem\":\"could not apply it: no node 7\"}],"
        + "\"points\":[" + points + "],\"expectations\":[{\"index\":1,\"name\":\"dynos come back elsewhere within 30 s\",\"state\":\"met\",\"detail\":\"\"},"
        + "{\"index\":2,\"name\":\"p99 under 1 s\",\"state\":\"pending\",\"detail\":\"\"}]}\n");
    browser.await("the live run", d -> browser.text("#scenario-live").contains("kill-a-node on hello"));
    assertTrue(browser.text("#scenario-live").contains("dynos come back elsewhere within 30 s"), browser.text("#scenario-live"));
    assertTrue(browser.text("#scenario-live tr[data-problem=true]").contains("could not apply it: no node 7"), "a fault that failed says why");
    assertTrue(browser.text("#scenario-live").contains("kill node 2 at 10s for 15s"), browser.text("#scenario-live"));
    assertEquals("Dynos up: 6 of 6 wanted, at 40 s", browser.text("#scenario-dynos"));
    assertEquals(1, browser.all("#scenario-live svg rect.fault.failed").size(), "drawn as tried, not as lasting");
    browser.screenshot(SCREENSHOTS.resolve("scenarios.png"));
    Files.delete(live);
    browser.await("the run over", d -> browser.text("#no-scenario").equals("No scenario running."));

    String run = "#scenario-runs tr[data-run='2026-01-01-kill-a-dyno']";
    browser.element(run);
    assertTrue(browser.text(run).contains("kill-a-dyno") && browser.text(run).contains("passed"), browser.text(run));
    assertEquals(List.of(), browser.scriptErrors(), "the console's scripts ran without an error");
    browser.open(manifold.apiUrl() + browser.attribute(run + " a", "href"));
    browser.await("the report", d -> browser.text("h1").equals("kill-a-dyno: passed"));
  }
}
