package io.manifold.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code logs}: recent lines, filtered by source and dyno, and {@code --tail} until stopped. */
class LogsCommandTest {
  static CliHarness manifold;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    manifold = new CliHarness();
    Path code = CliHarness.code(dir, "logged", "worker: echo hi from $DYNO; exec sleep 600\n");
    manifold.node.createApp("logged", code, Map.of(), Map.of("worker", 2));
    CliHarness.await("both workers' first lines", Duration.ofSeconds(20),
        () -> manifold.run("logs", "-a", "logged", "-s", "app").out(),
        out -> out.contains("app[worker.1]: hi from worker.1") && out.contains("app[worker.2]: hi from worker.2"));
  }

  @AfterAll
  static void stop() {
    manifold.close();
  }

  @Test
  void logsPrintsTheRecentLinesInHerokusFormat() {
    CliHarness.Run logs = manifold.run("logs", "-a", "logged");
    assertEquals(0, logs.status(), logs.toString());
    List<String> lines = logs.out().lines().toList();
    assertTrue(lines.size() >= 8, logs.out());
    assertTrue(lines.stream().allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00 (app|heroku)\\[[\\w.]+]: .*")),
        logs.out());
    assertTrue(logs.out().contains(" app[api]: Release v1 created by user " + CliHarness.USER), logs.out());
    assertFalse(logs.out().contains("\u001b["), "no colours when the output is not a terminal");

    CliHarness.Run last = manifold.run("logs", "-a", "logged", "-n", "2");
    assertEquals(2, last.out().lines().count(), last.out());
  }

  @Test
  void logsFiltersBySourceDynoAndProcessType() {
    CliHarness.Run one = manifold.run("logs", "-a", "logged", "-s", "app", "--dyno", "worker.2");
    List<String> messages = one.out().lines().map(l -> l.replaceAll(".* app\\[worker\\.2]: ", "")).toList();
    assertFalse(messages.isEmpty());
    assertTrue(messages.stream().allMatch("hi from worker.2"::equals), "only worker.2's own output: " + one.out());

    CliHarness.Run type = manifold.run("logs", "-a", "logged", "-s", "heroku", "-p", "worker");
    assertFalse(type.out().isEmpty());
    assertTrue(type.out().lines().allMatch(l -> l.contains(" heroku[worker.")), type.out());

    CliHarness.Run both = manifold.run("logs", "-a", "logged", "-d", "worker.1", "-p", "worker");
    assertEquals(1, both.status(), both.toString());
    CliHarness.Run badSource = manifold.run("logs", "-a", "logged", "-s", "elsewhere");
    assertEquals(2, badSource.status(), badSource.toString());
    assertEquals("manifold: 'source' must be app or heroku, not 'elsewhere'\nError ID: invalid_params\n", badSource.err());
  }

  @Test
  void logsTailShowsNewLinesAsTheyComeUntilStopped() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = CliHarness.commandLine(out, err);
    CompletableFuture<Integer> tail = CompletableFuture.supplyAsync(() -> cli.execute(
        "logs", "--api", manifold.node.apiUrl(), "--token", CliHarness.TOKEN, "-a", "logged", "--tail", "-n", "1", "-s", "app"));

    // the one recent line asked for shows that the tail is open: what happens next comes through it
    CliHarness.await("the tail's first line", Duration.ofSeconds(20), out::toString, o -> !o.isEmpty());
    manifold.run("config:set", "-a", "logged", "TAILED=yes");
    CliHarness.await("a config change in the tail", Duration.ofSeconds(20), out::toString,
        o -> o.contains("app[api]: Set TAILED config vars by user " + CliHarness.USER));
    manifold.run("run:detached", "-a", "logged", "echo", "seen by the tail");
    CliHarness.await("a one-off's output in the tail", Duration.ofSeconds(20), out::toString, o -> o.contains("]: seen by the tail"));
    assertFalse(tail.isDone(), "a tail goes on");

    ((LogsCommand) cli.getSubcommands().get("logs").getCommand()).stop();
    assertEquals(0, tail.get(10, TimeUnit.SECONDS), err.toString());
    assertEquals("", err.toString());
  }

  @Test
  void logColoursGiveEachDynoItsOwnColourAndLeaveOtherLinesAlone() {
    LogColours colours = new LogColours();
    String web1 = colours.colour("2026-11-29T08:03:15.000000+00:00 app[web.1]: hello");
    String web2 = colours.colour("2026-11-29T08:03:15.000000+00:00 app[web.2]: hello");
    String again = colours.colour("2026-11-29T08:03:16.000000+00:00 heroku[web.1]: State changed from starting to up");
    assertEquals("\u001b[2m2026-11-29T08:03:15.000000+00:00\u001b[0m\u001b[36m app[web.1]:\u001b[0m hello", web1);
    assertTrue(web2.contains("\u001b[33m app[web.2]:"), web2);
    assertTrue(again.contains("\u001b[36m heroku[web.1]:"), "the same dyno, the same colour: " + again);
    assertEquals("not a log line", colours.colour("not a log line"));
  }
}
