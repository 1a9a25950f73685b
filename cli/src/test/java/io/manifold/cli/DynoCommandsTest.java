package io.manifold.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ps}, {@code ps:scale}, {@code ps:restart}, {@code ps:stop} and {@code run:detached} against a running manifold. */
class DynoCommandsTest {
  static CliHarness manifold;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    manifold = new CliHarness();
    Path code = CliHarness.code(dir, "shop", "worker: echo hi; exec sleep 600\nclock: echo tick; exec sleep 600\n");
    manifold.node.createApp("shop", code, Map.of(), Map.of("worker", 1, "clock", 0));
    manifold.node.createApp("scaled", CliHarness.code(dir, "scaled", "worker: exec sleep 600\nclock: exec sleep 600\n"), Map.of(), Map.of());
    manifold.node.createApp("oneoff", code, Map.of(), Map.of());
    manifold.node.createApp("restarts", code, Map.of(), Map.of("worker", 1));
    manifold.awaitUp("shop", "worker.1");
    manifold.awaitUp("restarts", "worker.1");
  }

  @AfterAll
  static void stop() {
    manifold.close();
  }

  @Test
  void psGroupsDynosByCommandWithStateTimeAndNode() {
    CliHarness.Run ps = manifold.run("ps", "-a", "shop", "worker");
    assertEquals(0, ps.status(), ps.toString());
    List<String> lines = ps.out().lines().toList();
    assertEquals("=== worker (Basic): echo hi; exec sleep 600 (1)", lines.get(0), ps.toString());
    assertEquals("", lines.get(1));
    assertTrue(Pattern.matches("worker\\.1: up \\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d [+-]\\d{4} \\(~ \\d+[smh] ago\\) on node-1", lines.get(2)),
        ps.toString());

    CliHarness.Run json = manifold.run("ps", "-a", "shop", "--json");
    assertEquals(0, json.status(), json.toString());
    assertTrue(json.out().startsWith("[\n  {\n    \"attach_url\": null,"), json.out());
    assertTrue(json.out().contains("\"name\": \"worker.1\"") && json.out().contains("\"node\": \"node-1\""), json.out());
  }

  @Test
  void psScaleSetsAndChangesQuantitiesAndPrintsTheFormation() throws Exception {
    CliHarness.Run scale = manifold.run("ps:scale", "-a", "scaled", "worker=2", "clock+1");
    assertEquals(0, scale.status(), scale.toString());
    assertEquals("Scaling dynos... done, now running worker at 2:Basic, clock at 1:Basic\n", scale.err());
    manifold.awaitUp("scaled", "clock.1", "worker.1", "worker.2");

    CliHarness.Run down = manifold.run("ps:scale", "-a", "scaled", "worker-1", "clock=0:Standard-2X");
    assertEquals(0, down.status(), down.toString());
    assertEquals("Scaling dynos... done, now running worker at 1:Basic, clock at 0:Standard-2X\n", down.err());
    manifold.awaitUp("scaled", "worker.1");

    CliHarness.Run formation = manifold.run("ps:scale", "-a", "scaled");
    assertEquals(0, formation.status(), formation.toString());
    assertEquals("clock=0:Standard-2X worker=1:Basic\n", formation.out());
    JsonNode worker = manifold.get("/apps/scaled/formation/worker");
    assertEquals(1, worker.get("quantity").asInt());
  }

  @Test
  void psScaleRefusesBadSyntaxBeforeAskingAndUnknownTypesAsTheApiAnswers() throws Exception {
    CliHarness.Run syntax = manifold.run("ps:scale", "-a", "shop", "worker=x");
    assertEquals(1, syntax.status(), syntax.toString());
    assertEquals("manifold: TYPE=N[:SIZE]: expected TYPE=N, TYPE+N or TYPE-N, with an optional :SIZE"
        + " (such as web=2, worker+1 or web=3:Standard-2X), but found 'worker=x'\n", syntax.err());

    CliHarness.Run unknown = manifold.run("ps:scale", "-a", "shop", "worker=3", "web=1");
    assertEquals(2, unknown.status(), unknown.toString());
    assertEquals("Scaling dynos... !\n"
        + "manifold: no process type 'web' in the Procfile of shop; expected one of worker, clock\n"
        + "Error ID: invalid_params\n", unknown.err());
    assertEquals(1, manifold.get("/apps/shop/formation/worker").get("quantity").asInt(), "a batch with a bad entry changes nothing");
  }

  @Test
  void runDetachedStartsAOneOffDynoThatPsListsAndPsStopStops() throws Exception {
    CliHarness.Run run = manifold.run("run:detached", "-a", "oneoff", "sleep", "30");
    assertEquals(0, run.status(), run.toString());
    assertEquals("Running sleep 30 on ⬢ oneoff... done, run.1\n", run.err());
    assertEquals("Run manifold logs --app oneoff --dyno run.1 to view the output.\n", run.out());
    manifold.awaitUp("oneoff", "run.1");

    CliHarness.Run ps = manifold.run("ps", "-a", "oneoff");
    List<String> lines = ps.out().lines().toList();
    assertEquals("=== run: one-off processes (1)", lines.get(0), ps.toString());
    assertTrue(Pattern.matches("run\\.1 \\(Basic\\): up .* \\(~ \\d+s ago\\) on node-1: sleep 30", lines.get(2)), ps.toString());

    CliHarness.Run stop = manifold.run("ps:stop", "-a", "oneoff", "run.1");
    assertEquals(0, stop.status(), stop.toString());
    assertEquals("Stopping dyno run.1 on ⬢ oneoff... done\n", stop.err());
    manifold.awaitUp("oneoff");
  }

  @Test
  void runDetachedPassesTheCommandsOwnFlagsAndEnvironment() throws Exception {
    CliHarness.Run run = manifold.run("run:detached", "-a", "shop", "-e", "WHO=world;MOOD=fine", "sh", "-c", "echo hello $WHO");
    assertEquals(0, run.status(), run.toString());
    assertTrue(run.err().startsWith("Running sh -c \"echo hello $WHO\" on ⬢ shop... done, run."), run.err());
    String dyno = run.err().strip().replaceAll(".*, ", "");
    CliHarness.await("the one-off's output", Duration.ofSeconds(20),
        () -> manifold.run("logs", "-a", "shop", "-d", dyno, "-s", "app").out(), out -> out.contains("hello world"));
  }

  @Test
  void psRestartAndStopNameADynoOrAProcessTypeAndEachIsInTheAppsLog() throws Exception {
    assertEquals("Restarting dyno worker.1 on ⬢ restarts... done\n", manifold.run("ps:restart", "-a", "restarts", "worker.1").err());
    assertEquals("Restarting all worker dynos on ⬢ restarts... done\n", manifold.run("ps:restart", "-a", "restarts", "-p", "worker").err());
    assertEquals("Restarting all dynos on ⬢ restarts... done\n", manifold.run("ps:restart", "-a", "restarts").err());
    assertEquals("Stopping all worker dynos on ⬢ restarts... done\n", manifold.run("ps:stop", "-a", "restarts", "worker").err());
    // a stopped formation dyno comes back, as on Heroku
    manifold.awaitUp("restarts", "worker.1");
    String log = manifold.run("logs", "-a", "restarts", "-s", "app", "-d", "api", "-n", "1500").out();
    for (String event : List.of("Restart worker.1 by user", "Restart worker by user", "Restart all dynos by user", "Stop worker by user")) {
      assertTrue(log.contains("app[api]: " + event + " " + CliHarness.USER), event + " in:\n" + log);
    }

    CliHarness.Run nothing = manifold.run("ps:stop", "-a", "restarts");
    assertEquals(1, nothing.status());
    assertEquals("manifold: DYNO|TYPE: Please specify a process type or dyno name to stop.\n", nothing.err());
    CliHarness.Run both = manifold.run("ps:restart", "-a", "restarts", "-d", "worker.1", "-p", "worker");
    assertEquals(1, both.status());
    CliHarness.Run noSuchDyno = manifold.run("ps:restart", "-a", "restarts", "worker.9");
    assertEquals(2, noSuchDyno.status(), noSuchDyno.toString());
    assertTrue(noSuchDyno.err().endsWith("manifold: Couldn't find that dyno.\nError ID: not_found\n"), noSuchDyno.err());
  }
}
