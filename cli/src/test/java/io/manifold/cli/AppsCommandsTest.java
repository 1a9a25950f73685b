package io.manifold.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code apps}, {@code apps:create}, {@code apps:info}, {@code deploy} and {@code apps:destroy} against a running manifold. */
class AppsCommandsTest {
  static CliHarness manifold;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() {
    manifold = new CliHarness();
  }

  @AfterAll
  static void stop() {
    manifold.close();
  }

  @Test
  void appsCreateDeploysADirectoryAndAppsListsIt() throws Exception {
    Path code = CliHarness.code(dir, "shop-code", "worker: echo hi; exec sleep 600\n");
    CliHarness.Run create = manifold.run("apps:create", "shop", "--dir", code.toString());
    assertEquals(0, create.status(), create.toString());
    assertEquals("Creating ⬢ shop... done\n", create.err());
    assertEquals("http://shop.localhost:" + manifold.node.port() + "/ | file://" + code + "\n", create.out());
    JsonNode releases = manifold.get("/apps/shop/releases");
    assertEquals("Deploy", releases.get(1).get("description").asText().substring(0, 6), releases.toString());
    assertEquals("worker", manifold.get("/apps/shop/formation").get(0).get("type").asText());

    CliHarness.Run apps = manifold.run("apps");
    assertEquals(0, apps.status(), apps.toString());
    assertTrue(apps.out().startsWith("=== " + CliHarness.USER + " Apps\n\n"), apps.out());
    assertTrue(apps.out().lines().toList().contains("⬢ shop"), apps.out());
    CliHarness.Run json = manifold.run("apps", "--json");
    assertTrue(json.out().startsWith("[\n  {\n    \"acm\": false,\n"), json.out());
    assertTrue(json.out().contains("\"name\": \"shop\""), json.out());
  }

  @Test
  void appsCreateWithoutANameGetsOneFromTheManifold() {
    CliHarness.Run create = manifold.run("apps:create");
    assertEquals(0, create.status(), create.toString());
    assertTrue(create.err().matches("Creating app\\.\\.\\. done, ⬢ [a-z]+-[a-z]+-\\d{5}\n"), create.err());
  }

  @Test
  void appsCreateRefusesABadNameAsTheApiAnswersAndAMissingDirectoryAtOnce() throws Exception {
    CliHarness.Run badName = manifold.run("apps:create", "Bad_Name");
    assertEquals(2, badName.status(), badName.toString());
    assertTrue(badName.err().startsWith("Creating ⬢ Bad_Name... !\nmanifold: Name expected an app name of 3 to 30"), badName.err());
    assertTrue(badName.err().endsWith("\nError ID: invalid_params\n"), badName.err());

    CliHarness.Run noDir = manifold.run("apps:create", "nodir", "--dir", dir.resolve("missing").toString());
    assertEquals(1, noDir.status(), noDir.toString());
    assertEquals("manifold: --dir: expected a directory with a Procfile, but there is no directory " + dir.resolve("missing") + "\n", noDir.err());

    Path noProcfile = Files.createDirectories(dir.resolve("empty"));
    CliHarness.Run refused = manifold.run("apps:create", "noprocfile", "--dir", noProcfile.toString());
    assertEquals(2, refused.status(), refused.toString());
    assertTrue(refused.err().contains("no Procfile"), refused.err());
    assertTrue(manifold.run("apps", "--json").out().indexOf("\"noprocfile\"") < 0, "nothing was created");

    manifold.run("apps:create", "taken");
    CliHarness.Run taken = manifold.run("apps:create", "taken");
    assertEquals(2, taken.status(), taken.toString());
    assertTrue(taken.err().endsWith("manifold: Name taken is already taken\nError ID: conflict\n"), taken.err());
  }

  @Test
  void appsInfoShowsTheAppAsHerokuDoes() throws Exception {
    Path code = CliHarness.code(dir, "info-code", "worker: exec sleep 600\nclock: exec sleep 600\n");
    manifold.run("apps:create", "described", "--dir", code.toString());
    manifold.run("ps:scale", "-a", "described", "worker=2", "clock=1");
    manifold.awaitUp("described", "clock.1", "worker.1", "worker.2");

    CliHarness.Run info = manifold.run("apps:info", "-a", "described");
    assertEquals(0, info.status(), info.toString());
    assertEquals(String.join("\n",
        "=== ⬢ described",
        "",
        "Auto Cert Mgmt: false",
        "Git URL:        file://" + code,
        "Web URL:        http://described.localhost:" + manifold.node.port() + "/",
        "Repo Size:      0 B",
        "Slug Size:      0 B",
        "Owner:          " + CliHarness.USER,
        "Region:         us",
        "Dynos:          clock: 1, worker: 2",
        "Stack:          heroku-24",
        ""), info.out());

    JsonNode json = PlatformClient.JSON.readTree(manifold.run("apps:info", "-a", "described", "--json").out());
    assertEquals("described", json.get("app").get("name").asText());
    assertEquals(3, json.get("dynos").size());
  }

  @Test
  void deployReleasesADirectoryAndTheDynosRestartOnIt() throws Exception {
    Path v1 = CliHarness.code(dir, "deploy-v1", "worker: echo one; exec sleep 600\n");
    Path v2 = CliHarness.code(dir, "deploy-v2", "worker: echo two; exec sleep 600\n");
    manifold.run("apps:create", "deployed", "--dir", v1.toString());
    manifold.run("ps:scale", "-a", "deployed", "worker=1");

    CliHarness.Run deploy = manifold.run("deploy", "-a", "deployed", v2.toString());
    assertEquals(0, deploy.status(), deploy.toString());
    assertEquals("Deploying " + v2 + " to ⬢ deployed... done, v3\n", deploy.err());
    CliHarness.await("worker.1 running the new code", java.time.Duration.ofSeconds(20),
        () -> manifold.run("ps", "-a", "deployed").out(), out -> out.contains("(Basic): echo two; exec sleep 600 (1)"));

    CliHarness.Run missing = manifold.run("deploy", "-a", "deployed", dir.resolve("nope").toString());
    assertEquals(1, missing.status(), missing.toString());
  }

  @Test
  void appsDestroyNeedsTheNameConfirmedAndThenForgetsTheApp() throws Exception {
    manifold.run("apps:create", "doomed");
    CliHarness.Run unconfirmed = manifold.run("apps:destroy", "doomed");
    assertEquals(1, unconfirmed.status(), unconfirmed.toString());
    assertTrue(unconfirmed.err().contains("To proceed, re-run this command with --confirm doomed"), unconfirmed.err());
    CliHarness.Run mismatch = manifold.run("apps:destroy", "-a", "doomed", "--confirm", "other");
    assertEquals(1, mismatch.status(), mismatch.toString());
    assertEquals("manifold: --confirm: Confirmation other did not match doomed. Aborted.\n", mismatch.err());
    assertEquals("doomed", manifold.get("/apps/doomed").get("name").asText(), "still there");

    CliHarness.Run destroy = manifold.run("apps:destroy", "--confirm", "doomed");
    assertEquals(0, destroy.status(), destroy.toString());
    assertEquals("Destroying ⬢ doomed (including all add-ons)... done\n", destroy.err());
    CliHarness.Run gone = CliHarness.await("doomed forgotten", java.time.Duration.ofSeconds(10),
        () -> manifold.run("apps:info", "-a", "doomed"), r -> r.status() != 0);
    assertEquals(2, gone.status(), gone.toString());
    assertEquals("manifold: Couldn't find that app.\nError ID: not_found\n", gone.err());
    assertTrue(List.of(manifold.run("apps").out().split("\n")).stream().noneMatch(l -> l.equals("⬢ doomed")));
  }
}
