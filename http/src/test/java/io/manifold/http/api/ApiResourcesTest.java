package io.manifold.http.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.manifold.testing.Processes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each resource's good and bad paths over real HTTP, against apps whose dynos are real processes. */
class ApiResourcesTest {
  static ApiHarness api;
  static Path code;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    api = new ApiHarness();
    code = ApiHarness.code(dir, "shop", """
        worker: echo "worker says $GREETING"; exec sleep 900
        clock: exec sleep 901
        """);
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
  void appsAreCreatedListedShownUpdatedAndDeleted() throws Exception {
    ApiHarness.Response created = api.api("POST", "/apps", "{\"name\":\"lifecycle\"}");
    assertEquals(201, created.status(), created.toString());
    JsonNode app = created.json();
    assertEquals("lifecycle", app.get("name").asText());
    assertEquals("cedar", app.get("generation").get("name").asText());
    assertEquals(ApiHarness.USER, app.get("owner").get("email").asText());
    assertEquals("http://lifecycle.localhost:5000/", app.get("web_url").asText());

    assertEquals("lifecycle", api.get("/apps/" + app.get("id").asText()).json().get("name").asText(), "by id too");
    assertTrue(api.get("/users/~/apps").body().contains("\"lifecycle\""));

    ApiHarness.Response on = api.api("PATCH", "/apps/lifecycle", "{\"maintenance\":true}");
    assertEquals(true, on.json().get("maintenance").asBoolean());
    assertEquals(422, api.api("PATCH", "/apps/lifecycle", "{\"name\":\"renamed\"}").status());
    assertEquals(422, api.api("PATCH", "/apps/lifecycle", "{\"maintenance\":\"yes\"}").status());

    ApiHarness.Response deleted = api.api("DELETE", "/apps/lifecycle", null);
    assertEquals(200, deleted.status());
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (api.get("/apps/lifecycle").status() != 404 && System.nanoTime() < deadline) {
      Processes.sleep(20);
    }
    assertEquals(404, api.get("/apps/lifecycle").status());
  }

  @Test
  void badAppNamesAndTakenNamesAreRefused() throws Exception {
    ApiHarness.Response bad = api.api("POST", "/apps", "{\"name\":\"Bad_Name\"}");
    assertEquals(422, bad.status());
    assertEquals("invalid_params", bad.json().get("id").asText());
    assertTrue(bad.json().get("message").asText().contains("Bad_Name"), bad.toString());
    assertEquals(201, api.api("POST", "/apps", "{\"name\":\"taken\"}").status());
    ApiHarness.Response taken = api.api("POST", "/apps", "{\"name\":\"taken\"}");
    assertEquals(409, taken.status());
    assertEquals("Name taken is already taken", taken.json().get("message").asText());
    ApiHarness.Response unnamed = api.api("POST", "/apps", "{}");
    assertEquals(201, unnamed.status());
    assertTrue(unnamed.json().get("name").asText().matches("[a-z]+-[a-z]+-\\d{5}"), unnamed.toString());
    assertEquals(422, api.api("POST", "/apps", "{\"name\":\"elsewhere\",\"region\":\"eu\"}").status());
  }

  @Test
  void aBuildFromADirectoryIsADeployWithItsProcessTypes() throws Exception {
    api.api("POST", "/apps", "{\"name\":\"built\"}");
    ApiHarness.Response build = api.api("POST", "/apps/built/builds", "{\"source_blob\":{\"url\":\"" + code.toUri() + "\"}}");
    assertEquals(201, build.status(), build.toString());
    assertEquals("succeeded", build.json().get("status").asText());
    JsonNode formation = api.get("/apps/built/formation").json();
    assertEquals(2, formation.size());
    assertEquals("worker", formation.get(0).get("type").asText());
    assertEquals(0, formation.get(0).get("quantity").asInt(), "no web, so nothing is scaled on the first deploy");
    assertEquals(1, api.get("/apps/built/builds").json().size());
    ApiHarness.Response missing = api.api("POST", "/apps/built/builds", "{\"source_blob\":{\"url\":\"file:///no/such/dir\"}}");
    assertEquals(422, missing.status());
    ApiHarness.Response noProcfile = api.api("POST", "/apps/built/builds", "{\"source_blob\":{\"url\":\"" + dir.toUri() + "\"}}");
    assertEquals(422, noProcfile.status());
    assertTrue(noProcfile.json().get("message").asText().contains("no Procfile"), noProcfile.toString());
  }

  @Test
  void formationTakesNumbersStringsAndDeltasAndABadBatchChangesNothing() throws Exception {
    api.appWithCode("scaled", code);
    ApiHarness.Response batch = api.api("PATCH", "/apps/scaled/formation",
        "{\"updates\":[{\"quantity\":\"2\",\"size\":\"Standard-2X\",\"type\":\"worker\"},{\"quantity\":1,\"type\":\"clock\"}]}");
    assertEquals(200, batch.status(), batch.toString());
    assertEquals(2, batch.json().size(), "the whole formation comes back");
    assertEquals("Standard-2X", batch.json().get(0).get("size").asText());
    ApiHarness.Response delta = api.api("PATCH", "/apps/scaled/formation", "{\"updates\":[{\"quantity\":\"+1\",\"type\":\"worker\"}]}");
    assertEquals(3, delta.json().get(0).get("quantity").asInt());

    ApiHarness.Response bad = api.api("PATCH", "/apps/scaled/formation",
        "{\"updates\":[{\"quantity\":5,\"type\":\"worker\"},{\"quantity\":1,\"type\":\"web\"}]}");
    assertEquals(422, bad.status());
    assertTrue(bad.json().get("message").asText().contains("no process type 'web'"), bad.toString());
    assertEquals(3, api.get("/apps/scaled/formation/worker").json().get("quantity").asInt(), "the batch changed nothing");
    assertEquals(422, api.api("PATCH", "/apps/scaled/formation", "{\"updates\":[{\"quantity\":\"lots\",\"type\":\"worker\"}]}").status());
    assertEquals(422, api.api("PATCH", "/apps/scaled/formation", "{\"updates\":[{\"quantity\":101,\"type\":\"worker\"}]}").status());
    assertEquals(422, api.api("PATCH", "/apps/scaled/formation", "{\"updates\":[{\"quantity\":1,\"size\":\"Giant\",\"type\":\"worker\"}]}").status());
    assertEquals(422, api.api("PATCH", "/apps/scaled/formation", "{\"changes\":[]}").status());

    ApiHarness.Response one = api.api("PATCH", "/apps/scaled/formation/clock", "{\"quantity\":0}");
    assertEquals(200, one.status());
    assertEquals(0, one.json().get("quantity").asInt());
    assertEquals(404, api.get("/apps/scaled/formation/web").status());
    awaitJson("/apps/scaled/dynos", d -> d.size() == 3);
  }

  @Test
  void concurrentRelativeScalesAllCount() throws Exception {
    api.appWithCode("busy", code);
    List<CompletableFuture<ApiHarness.Response>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(CompletableFuture.supplyAsync(() -> {
        try {
          return api.api("PATCH", "/apps/busy/formation", "{\"updates\":[{\"quantity\":\"+1\",\"type\":\"clock\"}]}");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (CompletableFuture<ApiHarness.Response> f : all) {
      assertEquals(200, f.get().status());
    }
    assertEquals(20, api.get("/apps/busy/formation/clock").json().get("quantity").asInt());
    awaitJson("/apps/busy/dynos", d -> d.size() == 20);
    api.api("PATCH", "/apps/busy/formation/clock", "{\"quantity\":0}");
  }

  @Test
  void dynosAreListedRunOnceRestartedAndStopped() throws Exception {
    api.appWithCode("workers", code);
    api.api("PATCH", "/apps/workers/formation", "{\"updates\":[{\"quantity\":2,\"type\":\"worker\"}]}");
    JsonNode dynos = awaitJson("/apps/workers/dynos", d -> d.size() == 2 && d.get(0).get("state").asText().equals("up")
        && d.get(1).get("state").asText().equals("up"));
    assertEquals("worker.1", dynos.get(0).get("name").asText());
    JsonNode one = api.get("/apps/workers/dynos/worker.1").json();
    assertEquals("worker", one.get("type").asText());
    assertEquals(one, api.get("/apps/workers/dynos/" + one.get("id").asText()).json(), "by id too");
    assertEquals(404, api.get("/apps/workers/dynos/worker.9").status());

    ApiHarness.Response run = api.api("POST", "/apps/workers/dynos", "{\"attach\":false,\"command\":\"echo hi\",\"env\":{\"TERM\":\"xterm\"}}");
    assertEquals(201, run.status(), run.toString());
    assertEquals("run.1", run.json().get("name").asText());
    assertEquals("run", run.json().get("type").asText());
    assertEquals(422, api.api("POST", "/apps/workers/dynos", "{\"attach\":true,\"command\":\"bash\"}").status());
    assertEquals(422, api.api("POST", "/apps/workers/dynos", "{}").status());

    ApiHarness.Response restartAll = api.api("DELETE", "/apps/workers/dynos", null);
    assertEquals(202, restartAll.status());
    assertEquals("{}", restartAll.body());
    assertEquals(202, api.api("DELETE", "/apps/workers/dynos/worker.1", null).status());
    assertEquals(202, api.api("DELETE", "/apps/workers/formations/worker", null).status());
    assertEquals(404, api.api("DELETE", "/apps/workers/formations/web", null).status());
    assertEquals(202, api.api("POST", "/apps/workers/dynos/worker.2/actions/stop", null).status());
    awaitJson("/apps/workers/dynos", d -> d.size() == 2 && d.get(0).get("state").asText().equals("up")
        && d.get(1).get("state").asText().equals("up"));
  }

  @Test
  void configVarsMergeAndEachChangeIsARelease() throws Exception {
    api.appWithCode("configured", code);
    ApiHarness.Response set = api.api("PATCH", "/apps/configured/config-vars", "{\"GREETING\":\"hello\",\"COLOR\":\"blue\"}");
    assertEquals(200, set.status());
    assertEquals(Map.of("COLOR", "blue", "GREETING", "hello"), ApiHarness.JSON.convertValue(set.json(), Map.class));
    ApiHarness.Response unset = api.api("PATCH", "/apps/configured/config-vars", "{\"COLOR\":null}");
    assertEquals(Map.of("GREETING", "hello"), ApiHarness.JSON.convertValue(unset.json(), Map.class));
    assertEquals(422, api.api("PATCH", "/apps/configured/config-vars", "{\"BAD-NAME\":\"x\"}").status());
    assertEquals(422, api.api("PATCH", "/apps/configured/config-vars", "{\"NESTED\":{\"a\":1}}").status());

    ApiHarness.Response releases = api.api("GET", "/apps/configured/releases", null, Map.of("Range", "version ..; max=1, order=desc"));
    assertEquals(206, releases.status(), "more releases follow");
    JsonNode latest = releases.json().get(0);
    assertEquals(4, latest.get("version").asInt());
    assertEquals("Remove COLOR config vars", latest.get("description").asText());
    assertTrue(latest.get("current").asBoolean());
    assertEquals(Map.of("GREETING", "hello", "COLOR", "blue"),
        ApiHarness.JSON.convertValue(api.get("/apps/configured/releases/3/config-vars").json(), Map.class));
  }

  @Test
  void aRollbackIsANewReleaseWithTheOldCodeAndConfig() throws Exception {
    api.appWithCode("rolled", code);
    api.api("PATCH", "/apps/rolled/config-vars", "{\"GREETING\":\"v3\"}");
    String v2 = api.get("/apps/rolled/releases/2").json().get("id").asText();
    ApiHarness.Response back = api.api("POST", "/apps/rolled/releases", "{\"release\":\"" + v2 + "\"}");
    assertEquals(201, back.status(), back.toString());
    assertEquals("Rollback to v2", back.json().get("description").asText());
    assertEquals(4, back.json().get("version").asInt());
    assertFalse(api.get("/apps/rolled/config-vars").json().has("GREETING"));
    assertEquals(201, api.api("POST", "/apps/rolled/releases", "{\"release\":\"v3\"}").status(), "by version too");
    assertEquals(404, api.api("POST", "/apps/rolled/releases", "{\"release\":\"v99\"}").status());
    assertEquals(422, api.api("POST", "/apps/rolled/releases", "{\"slug\":\"abc\"}").status());
    assertEquals(404, api.get("/apps/rolled/releases/77").status());
  }
}
