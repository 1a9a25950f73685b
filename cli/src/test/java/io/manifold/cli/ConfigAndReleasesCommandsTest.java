package io.manifold.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code config*}, {@code releases*}, {@code maintenance*} and {@code drains*} against a running manifold. */
class ConfigAndReleasesCommandsTest {
  static CliHarness manifold;
  static Path code;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    manifold = new CliHarness();
    code = CliHarness.code(dir, "shop", "worker: echo hi; exec sleep 600\n");
    for (String app : List.of("configured", "released", "maintained", "drained", "guarded")) {
      manifold.node.createApp(app, code, Map.of(), Map.of("worker", 1));
    }
  }

  @AfterAll
  static void stop() {
    manifold.close();
  }

  @Test
  void configSetShowsTheNewReleaseAndTheVarsAndConfigListsThemAligned() throws Exception {
    CliHarness.Run set = manifold.run("config:set", "-a", "configured", "GREETING=hello world", "A=1=2");
    assertEquals(0, set.status(), set.toString());
    assertEquals("Setting GREETING, A and restarting ⬢ configured... done, v3\n", set.err());
    assertEquals("GREETING: hello world\nA:        1=2\n", set.out());

    CliHarness.Run config = manifold.run("config", "-a", "configured");
    assertEquals(0, config.status(), config.toString());
    assertEquals("=== ⬢ configured Config Vars\n\nA:        1=2\nGREETING: hello world\n", config.out());
    assertEquals("{\n  \"A\": \"1=2\",\n  \"GREETING\": \"hello world\"\n}\n", manifold.run("config", "-a", "configured", "--json").out());

    assertEquals("hello world\n", manifold.run("config:get", "-a", "configured", "GREETING").out());
    assertEquals("\n", manifold.run("config:get", "-a", "configured", "NOT_SET").out(), "an unset var is an empty line");

    CliHarness.Run unset = manifold.run("config:unset", "-a", "configured", "A");
    assertEquals(0, unset.status(), unset.toString());
    assertEquals("Unsetting A and restarting ⬢ configured... done, v4\n", unset.err());
    JsonNode vars = manifold.get("/apps/configured/config-vars");
    assertEquals("hello world", vars.get("GREETING").asText());
    assertFalse(vars.has("A"));

    CliHarness.Run bad = manifold.run("config:set", "-a", "configured", "NOEQUALS");
    assertEquals(1, bad.status(), bad.toString());
    assertEquals("manifold: KEY=VALUE: NOEQUALS is invalid. Must be in the format FOO=bar.\n", bad.err());
    CliHarness.Run badName = manifold.run("config:set", "-a", "configured", "NOT-A-NAME=x");
    assertEquals(2, badName.status(), badName.toString());
    assertTrue(badName.err().endsWith("Error ID: invalid_params\n"), badName.err());
  }

  @Test
  void releasesListsNewestFirstAndRollbackMakesANewRelease() throws Exception {
    manifold.run("config:set", "-a", "released", "V=1");
    manifold.run("config:set", "-a", "released", "V=2");
    CliHarness.Run releases = manifold.run("releases", "-a", "released");
    assertEquals(0, releases.status(), releases.toString());
    List<String> lines = releases.out().lines().toList();
    assertEquals("=== ⬢ released Releases - Current: v4", lines.get(0));
    assertEquals("", lines.get(1));
    String time = "\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d [+-]\\d{4} \\(~ \\d+[smh] ago\\)";
    assertTrue(Pattern.matches("v4  Set V config vars  " + CliHarness.USER + "  " + time, lines.get(2)), lines.get(2));
    assertTrue(Pattern.matches("v3  Set V config vars  " + CliHarness.USER + "  " + time, lines.get(3)), lines.get(3));
    assertTrue(Pattern.matches("v2  Deploy [0-9a-f]{7}     " + CliHarness.USER + "  " + time, lines.get(4)), lines.get(4));
    assertTrue(lines.get(5).startsWith("v1  Initial release    " + CliHarness.USER), lines.get(5));
    assertEquals(2, manifold.run("releases", "-a", "released", "-n", "2").out().lines().filter(l -> l.startsWith("v")).count());

    CliHarness.Run back = manifold.run("releases:rollback", "-a", "released");
    assertEquals(0, back.status(), back.toString());
    assertTrue(back.err().startsWith("Rolling back ⬢ released to v3... done, v5\n"), back.err());
    assertTrue(back.err().contains("To undo, run: manifold releases:rollback v4 -a released"), back.err());
    assertEquals("1", manifold.get("/apps/released/config-vars").get("V").asText());

    CliHarness.Run toV2 = manifold.run("releases:rollback", "-a", "released", "v2");
    assertEquals(0, toV2.status(), toV2.toString());
    assertTrue(toV2.err().startsWith("Rolling back ⬢ released to v2... done, v6\n"), toV2.err());
    assertFalse(manifold.get("/apps/released/config-vars").has("V"));
    JsonNode current = manifold.get("/apps/released/releases/6");
    assertEquals("Rollback to v2", current.get("description").asText());
    assertTrue(current.get("current").asBoolean());

    CliHarness.Run noSuch = manifold.run("releases:rollback", "-a", "released", "v99");
    assertEquals(2, noSuch.status(), noSuch.toString());
    assertEquals("manifold: Couldn't find that release.\nError ID: not_found\n", noSuch.err());
    CliHarness.Run notAVersion = manifold.run("releases:rollback", "-a", "released", "latest");
    assertEquals(1, notAVersion.status(), notAVersion.toString());
    assertTrue(manifold.run("releases", "-a", "released", "--json").out().startsWith("[\n  {\n    \"addon_plan_names\": [],"));
  }

  @Test
  void maintenanceIsSwitchedOnAndOff() throws Exception {
    assertEquals("off\n", manifold.run("maintenance", "-a", "maintained").out());
    CliHarness.Run on = manifold.run("maintenance:on", "-a", "maintained");
    assertEquals(0, on.status(), on.toString());
    assertEquals("Enabling maintenance mode for ⬢ maintained... done\n", on.err());
    assertTrue(manifold.get("/apps/maintained").get("maintenance").asBoolean());
    assertEquals("on\n", manifold.run("maintenance", "-a", "maintained").out());
    CliHarness.Run off = manifold.run("maintenance:off", "-a", "maintained");
    assertEquals("Disabling maintenance mode for ⬢ maintained... done\n", off.err());
    assertFalse(manifold.get("/apps/maintained").get("maintenance").asBoolean());
  }

  @Test
  void drainsAreAddedListedAndRemovedByUrlOrToken() throws Exception {
    assertEquals("⬢ drained has no drains.\n", manifold.run("drains", "-a", "drained").out());
    CliHarness.Run add = manifold.run("drains:add", "-a", "drained", "https://logs.example.test/in");
    assertEquals(0, add.status(), add.toString());
    assertEquals("Successfully added drain https://logs.example.test/in\n", add.out());
    manifold.run("drains:add", "-a", "drained", "https://other.example.test/in");

    CliHarness.Run list = manifold.run("drains", "-a", "drained");
    List<String> lines = list.out().lines().toList();
    assertEquals("=== Drains", lines.get(0), list.toString());
    assertTrue(lines.contains("https://logs.example.test/in (" + token(0) + ")"), list.toString());

    CliHarness.Run byUrl = manifold.run("drains:remove", "-a", "drained", "https://logs.example.test/in");
    assertEquals(0, byUrl.status(), byUrl.toString());
    assertEquals("Successfully removed drain https://logs.example.test/in\n", byUrl.out());
    CliHarness.Run byToken = manifold.run("drains:remove", "-a", "drained", token(0));
    assertEquals("Successfully removed drain https://other.example.test/in\n", byToken.out());
    assertEquals(0, manifold.get("/apps/drained/log-drains").size());

    CliHarness.Run syslog = manifold.run("drains:add", "-a", "drained", "syslog://logs.example.test:514");
    assertEquals(2, syslog.status(), syslog.toString());
    assertTrue(syslog.err().endsWith("Error ID: invalid_params\n"), syslog.err());
    CliHarness.Run unknown = manifold.run("drains:remove", "-a", "drained", "d.nope");
    assertEquals(2, unknown.status(), unknown.toString());
    assertEquals("manifold: Couldn't find that log drain.\nError ID: not_found\n", unknown.err());
  }

  @Test
  void aWrongTokenIsRefusedAndChangesNothing() throws Exception {
    CliHarness.Run r = CliHarness.runAsGiven("config:set", "--api", manifold.node.apiUrl(), "--token", "wrong", "-a", "guarded", "X=1");
    assertEquals(2, r.status(), r.toString());
    assertEquals("Setting X and restarting ⬢ guarded... !\nmanifold: Invalid credentials provided.\nError ID: unauthorized\n", r.err());
    assertTrue(manifold.get("/apps/guarded/config-vars").isEmpty());
  }

  private static String token(int i) throws Exception {
    return manifold.get("/apps/drained/log-drains").get(i).get("token").asText();
  }
}
