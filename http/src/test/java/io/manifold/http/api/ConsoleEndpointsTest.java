package io.manifold.http.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.manifold.core.routing.HCode;
import io.manifold.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Manifold's own endpoints for the web console, over real HTTP behind the API's checks: the
 * cluster's nodes and their dynos, an app's live router figures, and the scenario runner's
 * reports (listed, served by a signed link, and the run going on now).
 */
class ConsoleEndpointsTest {
  static ApiHarness api;
  static Path reports;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    reports = Files.createDirectories(dir.resolve("scenarios"));
    api = new ApiHarness(ConfigFactory.parseMap(Map.of("manifold.scenarios.reports-dir", reports.toString())));
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
  }

  private static JsonNode awaitJson(String path, Predicate<JsonNode> condition) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = api.get(path).json();
      if (condition.test(last)) {
        return last;
      }
      Processes.sleep(50);
    }
    throw new AssertionError(path + " never got there: " + last);
  }

  @Test
  void theConsoleIsServedWithoutATokenButItsDataIsNot() throws Exception {
    ApiHarness.Response page = api.call("GET", "/", null, Map.of());
    assertEquals(200, page.status());
    assertTrue(page.header("Content-Type").startsWith("text/html"), page.header("Content-Type"));
    assertTrue(page.body().contains("/console/js/main.js"), page.body());
    assertEquals(200, api.call("GET", "/console/js/api.js", null, Map.of()).status());
    assertEquals(401, api.call("GET", "/apps", null, Map.of("Accept", "application/vnd.heroku+json; version=3")).status());
    assertEquals(401, api.call("GET", "/manifold/scenarios", null, Map.of("Accept", "application/vnd.heroku+json; version=3")).status());
  }

  @Test
  void theNodesListEveryMemberWithTheDynosThatRunOnIt() throws Exception {
    assertEquals("[{\"name\":\"local\",\"status\":\"up\",\"dynos\":[]}]", api.get("/manifold/nodes").body(),
        "the node itself, with no dynos yet");
    Path code = ApiHarness.code(dir, "nodes", "worker: exec sleep 900\n");
    api.appWithCode("nodes", code);
    assertEquals(200, api.api("PATCH", "/apps/nodes/formation", "{\"updates\":[{\"type\":\"worker\",\"quantity\":2}]}").status());
    JsonNode nodes = awaitJson("/manifold/nodes", n -> n.get(0).get("dynos").size() == 2);
    JsonNode dyno = nodes.get(0).get("dynos").get(0);
    assertEquals("nodes", dyno.get("app").get("name").asText());
    assertEquals("worker.1", dyno.get("name").asText());
    assertEquals("local", dyno.get("node").asText(), "each dyno is the API's dyno resource");
    assertEquals(401, api.call("GET", "/manifold/nodes", null, Map.of("Accept", "application/vnd.heroku+json; version=3")).status(),
        "behind the token like the rest of the API");
    assertEquals(200, api.api("DELETE", "/apps/nodes", null).status());
  }

  @Test
  void routerStatsGiveTheLastSecondsFiguresOfAnAppThatExists() throws Exception {
    api.appWithCode("charts", ApiHarness.code(dir, "charts", "worker: exec sleep 900\n"));
    JsonNode first = api.get("/manifold/apps/charts/router-stats").json();
    assertEquals("charts", first.get("app").asText());
    assertTrue(first.get("requests_per_second").isNull(), "nothing to compare with yet: " + first);
    for (int i = 0; i < 3; i++) {
      api.router.record("charts", 200, null, System.nanoTime() - 2_000_000);
    }
    api.router.record("charts", 503, HCode.H80, System.nanoTime());
    JsonNode later = awaitJson("/manifold/apps/charts/router-stats", s -> !s.get("requests_per_second").isNull());
    assertEquals(4, later.get("requests").asLong());
    assertEquals(1, later.get("total_errors").get("H80").asLong());
    assertTrue(later.get("requests_per_second").asDouble() > 0, later.toString());
    assertTrue(later.get("p99_ms").asDouble() > 0, later.toString());
    assertEquals(0, later.get("in_flight").asLong());
    assertEquals(1, later.get("nodes").size(), "one node, whose figures are the sum: " + later);
    assertEquals("local", later.get("nodes").get(0).get("node").asText());
    assertEquals(4, later.get("nodes").get(0).get("requests").asLong());
    assertEquals(0, later.get("missing").size());

    ApiHarness.Response none = api.get("/manifold/apps/nope/router-stats");
    assertEquals(404, none.status());
    assertEquals("not_found", none.json().get("id").asText());
  }

  @Test
  void scenarioRunsAreListedNewestFirstWithSignedLinksToTheirReports() throws Exception {
    run("2026-01-01-a", "{\"scenario\":\"kill-a-dyno\",\"started_at\":\"2026-01-01T10:00:00Z\",\"outcome\":\"passed\",\"summary\":\"all met\"}",
        "<h1>report a</h1>");
    run("2026-01-02-b", "{\"scenario\":\"slow-dyno\",\"started_at\":\"2026-01-02T10:00:00Z\",\"outcome\":\"failed\"}", null);
    run("2026-01-03-c", "{not json", null);

    JsonNode list = api.get("/manifold/scenarios").json();
    assertEquals(reports.toString(), list.get("reports_dir").asText());
    JsonNode runs = list.get("runs");
    JsonNode b = find(runs, "2026-01-02-b");
    JsonNode a = find(runs, "2026-01-01-a");
    assertTrue(indexOf(runs, "2026-01-02-b") < indexOf(runs, "2026-01-01-a"), "newest first: " + runs);
    assertEquals("failed", b.get("outcome").asText());
    assertTrue(b.get("report_url").isNull(), "no report.html, no link");
    assertEquals("kill-a-dyno", a.get("scenario").asText());
    assertEquals("finished", a.get("state").asText());
    JsonNode broken = find(runs, "2026-01-03-c");
    assertEquals("unreadable", broken.get("state").asText());
    assertTrue(broken.get("problem").asText().startsWith("report.json is not valid JSON"), broken.toString());

    String url = a.get("report_url").asText();
    ApiHarness.Response page = api.call("GET", url, null, Map.of());
    assertEquals(200, page.status(), "a plain link: no token, no Accept header");
    assertEquals("<h1>report a</h1>", page.body());
    assertTrue(page.header("Content-Type").startsWith("text/html"));
    assertTrue(page.header("Content-Security-Policy").startsWith("sandbox"), "the report cannot reach the console's storage");
    assertEquals(404, api.call("GET", url.replace("sig=", "sig=0"), null, Map.of()).status(), "a forged signature");
    assertEquals(404, api.call("GET", url.replace("2026-01-01-a", "2026-01-02-b"), null, Map.of()).status(), "another run's signature");
  }

  @Test
  void aRunningScenarioIsShownLiveUntilItsRunnerStopsWritingOrSaysItIsOver() throws Exception {
    assertEquals(false, api.get("/manifold/scenarios/live").json().get("running").asBoolean());
    Path run = Files.createDirectories(reports.resolve("2026-02-01-live"));
    Files.writeString(run.resolve("live.json"), "{\"state\":\"running\",\"scenario\":\"kill-a-node\",\"elapsed_seconds\":3,"
        + "\"faults\":[{\"name\":\"kill-node\",\"from_seconds\":1}],\"points\":[{\"t\":0,\"p99_ms\":12}]}");
    JsonNode live = api.get("/manifold/scenarios/live").json();
    assertTrue(live.get("running").asBoolean(), live.toString());
    assertEquals("2026-02-01-live", live.get("run").asText());
    assertEquals("kill-a-node", live.get("live").get("scenario").asText());

    Files.setLastModifiedTime(run.resolve("live.json"), java.nio.file.attribute.FileTime.fromMillis(
        System.currentTimeMillis() - ScenarioReports.LIVE_STALE.toMillis() - 1_000));
    assertFalse(api.get("/manifold/scenarios/live").json().get("running").asBoolean(), "a runner that stopped writing is not running");

    Files.writeString(run.resolve("live.json"), "{\"state\":\"finished\"}");
    assertFalse(api.get("/manifold/scenarios/live").json().get("running").asBoolean(), "a run that is over");
    Files.delete(run.resolve("live.json"));
    Files.delete(run);
  }

  private static void run(String id, String reportJson, String reportHtml) throws Exception {
    Path run = Files.createDirectories(reports.resolve(id));
    Files.writeString(run.resolve("report.json"), reportJson);
    if (reportHtml != null) {
      Files.writeString(run.resolve("report.html"), reportHtml);
    }
  }

  private static JsonNode find(JsonNode runs, String id) {
    return runs.get(indexOf(runs, id));
  }

  private static int indexOf(JsonNode runs, String id) {
    for (int i = 0; i < runs.size(); i++) {
      if (runs.get(i).get("id").asText().equals(id)) {
        return i;
      }
    }
    throw new AssertionError(id + " is not listed: " + runs);
  }
}
