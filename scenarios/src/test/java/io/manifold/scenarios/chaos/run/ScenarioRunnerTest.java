package io.manifold.scenarios.chaos.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.scenarios.chaos.Scenario;
import io.manifold.scenarios.chaos.ScenarioParser;
import io.manifold.scenarios.chaos.ScenarioResult;
import io.manifold.testing.Examples;
import io.manifold.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenarios run for real (a manifold in this JVM, real sockets, synthetic dynos, real processes
 * where it matters): each fault's effect, the heal after an abort, the same inputs for the same
 * seed. Expectations are part of each scenario, and each test also checks what the runner says
 * of every fault. Bounds are generous: these prove effects, not speed.
 */
@Tag("scenario")
class ScenarioRunnerTest {

  private static ScenarioResult run(String yaml, Map<String, Object> config) {
    Scenario s = ScenarioParser.parse(yaml, "test.yaml", null);
    List<String> lines = new ArrayList<>();
    ScenarioResult r = new ScenarioRunner(s, line -> {
      synchronized (lines) {
        lines.add(line);
      }
    }, null, new ScenarioRunner.Settings(config, Duration.ofSeconds(90))).run();
    System.out.println(String.join("\n", lines));
    return r;
  }

  private static String verdicts(ScenarioResult r) {
    return r.outcome() + " " + r.problem() + "\n" + r.expectations().stream()
        .map(e -> (e.met() ? "ok   " : "FAIL ") + e.describe() + " = " + e.measuredText() + " " + e.detail())
        .collect(Collectors.joining("\n")) + "\n" + r.faults() + "\n" + r.totals();
  }

  private static void assertAllMet(ScenarioResult r) {
    assertEquals(ScenarioResult.PASSED, r.outcome(), () -> verdicts(r));
    for (ScenarioResult.FaultResult f : r.faults()) {
      assertEquals("", f.problem(), () -> "fault " + f.index() + ": " + verdicts(r));
      assertFalse(Double.isNaN(f.firedSeconds()), () -> "fault " + f.index() + " fired");
    }
  }

  @Test
  void everyDynoFaultHasItsEffect() {
    ScenarioResult r = run("""
        duration: 26s
        router: {timeout: 2s}
        apps:
          alpha:
            formation: {web: 3}
            service: {time: "constant(10ms)", concurrency: 4}
          beta:
            formation: {web: 2}
            service: {time: "constant(10ms)", concurrency: 4, boot: 1s}
          gamma:
            formation: {web: 1}
            service: {time: "constant(5ms)", concurrency: 4, boot: 1s, memory: {start: 100MB, per-request: 1MB}}
        load:
          - {app: alpha, rate: 30/s}
          - {app: beta, rate: 20/s}
          - {app: gamma, rate: 20/s, start: 2s, duration: 4s}
        faults:
          - {at: 3s, slow-dyno: {app: alpha, dyno: web.1, latency: 400ms}, for: 4s}
          - {at: 3s, error-dyno: {app: beta, dyno: web.1, share: 100%}, for: 4s}
          - {at: 3s, memory-leak: {app: gamma, dyno: web.1, per-request: 100MB}, for: 1s}
          - {at: 8s, hang-dyno: {app: alpha, dyno: web.2}, for: 4s}
          - {at: 8s, crash-dyno: {app: beta, dyno: web.2}}
          - {at: 13s, crash-loop: {app: alpha, dyno: web.3}, for: 3s}
          - {at: 13s, maintenance: beta, for: 3s}
          - {at: 18s, scale: {app: beta, web: 3}}
          - {at: 18s, config: {app: alpha, set: {SYNTHETIC_SERVICE: constant(60ms)}}}
          - {at: 21s, restart-all: beta}
        expect:
          - {metric: p99-latency, app: alpha, during: fault, fault: 1, above: 300ms}
          - {metric: responses, code: "500", app: beta, during: fault, fault: 2, above: 10}
          - {metric: responses, code: "500", app: beta, during: before, below: 1}
          - {metric: responses, code: H12, app: alpha, during: fault, fault: 4, above: 5}
          - {metric: responses, code: H12, app: alpha, during: before, below: 1}
          - {metric: responses, code: H80, app: beta, during: fault, fault: 7, above: 20}
          - {metric: p50-latency, app: alpha, from: 23s, to: 26s, above: 50ms}
          - {metric: p50-latency, app: alpha, during: before, below: 50ms}
          - {metric: lost-requests, below: 1}
        """, Map.of("manifold.dyno.memory-check-every", "200ms"));
    assertAllMet(r);
    Map<Integer, ScenarioResult.FaultResult> f = r.faults().stream().collect(Collectors.toMap(ScenarioResult.FaultResult::index, x -> x));
    assertEquals("alpha/web.1", f.get(1).target());
    assertTrue(f.get(3).recoverySeconds() > 0, "the leak got gamma's only dyno killed (R15): " + f.get(3));
    assertTrue(f.get(5).recoverySeconds() > 0.5, "beta's crashed dyno took its boot second to come back: " + f.get(5));
    assertTrue(f.get(6).recoverySeconds() > 3, "a crash-looping dyno stays down in Heroku's cool-off, after the heal too: " + f.get(6));
    assertTrue(f.get(8).recoverySeconds() > 0.5, "the third beta dyno booted: " + f.get(8));
    assertTrue(f.get(10).recoverySeconds() > 0.5, "every beta dyno rebooted: " + f.get(10));
    for (int healed : List.of(1, 2, 3, 4, 6, 7)) {
      assertFalse(Double.isNaN(f.get(healed).healedSeconds()), "fault " + healed + " was healed");
    }
  }

  @Test
  void nodeFaultsOnAThreeNodeManifold() {
    ScenarioResult r = run("""
        duration: 40s
        cluster: {nodes: 3}
        apps:
          shop:
            formation: {web: 6}
            service: {time: "constant(10ms)", concurrency: 4, boot: 500ms}
        load:
          - {app: shop, rate: 40/s}
        faults:
          - {at: 3s, kill-node: 3, for: 9s}
          - {at: 16s, restart-node: {node: 2, graceful: true}}
          - {at: 26s, partition: {sides: [[3], [1, 2]]}, for: 5s}
        expect:
          - {metric: recovery-time, fault: 1, below: 30s}
          - {metric: recovery-time, fault: 2, below: 30s}
          - {metric: recovery-time, fault: 3, below: 30s}
          - {metric: error-rate, below: 5%}
          - {metric: lost-requests, below: 1}
        """, Map.of());
    assertAllMet(r);
    ScenarioResult.FaultResult kill = r.faults().get(0);
    assertEquals("node-3", kill.target());
    assertFalse(kill.lostDynos().isEmpty(), "node-3 ran some of the six dynos: " + kill);
    assertTrue(kill.detectionSeconds() > 0 && kill.detectionSeconds() <= kill.removalSeconds(), kill::toString);
    assertTrue(kill.replacementSeconds() > 0, "its dynos started on another node: " + kill);
    assertFalse(Double.isNaN(kill.healedSeconds()), "a new node-3 joined: " + kill);
    assertTrue(r.faults().get(2).recoverySeconds() > 0, "the new node-3 was cut off and its dynos moved: " + r.faults().get(2));
  }

  @Test
  void aSlowLinkBetweenNodesIsAppliedAndHealed() {
    ScenarioResult r = run("""
        duration: 14s
        cluster: {nodes: 3}
        apps:
          shop:
            formation: {web: 3}
            service: {time: "constant(10ms)", concurrency: 4}
        load:
          - {app: shop, rate: 30/s}
        faults:
          - {at: 3s, link-latency: {sides: [[1], [2, 3]], latency: 200ms, jitter: 20ms}, for: 6s}
        expect:
          - {metric: recovery-time, fault: 1, below: 10s}
          - {metric: error-rate, below: 2%}
          - {metric: lost-requests, below: 1}
        """, Map.of());
    assertAllMet(r);
    ScenarioResult.FaultResult slow = r.faults().get(0);
    assertEquals("link-latency", slow.kind());
    assertEquals("[1] <-> [2, 3]", slow.target());
    assertTrue(slow.firedSeconds() >= 2.5 && slow.healedSeconds() >= slow.firedSeconds() + 5, "fired at 3 s, healed 6 s later: " + slow);
  }

  @Test
  void theSameSeedDrawsTheSameInputsAndAnotherSeedOthers() {
    String yaml = """
        seed: %d
        duration: 4s
        apps:
          shop:
            formation: {web: 6}
            service: {time: "exponential(mean=5ms)", concurrency: 4}
        load:
          - {app: shop, arrivals: poisson, rate: 50/s}
        faults:
          - {at: 1s, slow-dyno: {app: shop, type: web, count: 2, latency: 10ms}, for: 1s}
        """;
    ScenarioResult a = run(yaml.formatted(42), Map.of());
    ScenarioResult b = run(yaml.formatted(42), Map.of());
    ScenarioResult c = run(yaml.formatted(43), Map.of());
    assertEquals(a.inputs(), b.inputs(), "arrival times, service times and the dynos the fault chose");
    assertEquals(a.arrivals(), b.arrivals());
    assertEquals(a.faults().get(0).target(), b.faults().get(0).target());
    assertNotEquals(a.inputs(), c.inputs());
    assertTrue(a.arrivals() > 100, "about 200 requests in 4 s: " + a.arrivals());
  }

  @Test
  void anAbortStopsTheRunAndEveryFaultIsHealedAndEveryProcessStopped(@TempDir Path dir) throws Exception {
    Path app = Files.createDirectories(dir.resolve("real"));
    Files.writeString(app.resolve("Procfile"), "web: exec java -Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "
        + Examples.hello().resolve("Web.java") + "\n");
    ScenarioResult r = run("""
        duration: 60s
        apps:
          shop:
            formation: {web: 2}
            service: {time: "constant(5ms)", concurrency: 4}
          real:
            procfile: %s
            formation: {web: 1}
        load:
          - {app: shop, rate: 20/s}
          - {app: real, rate: 5/s}
        faults:
          - {at: 1s, hang-dyno: {app: real, dyno: web.1}, for: 50s}
          - {at: 1s, slow-dyno: {app: shop, dyno: web.2, latency: 50ms}, for: 50s}
          - {at: 2s, maintenance: shop}
        abort:
          - {metric: error-rate, over: 2s, above: 50%%}
        expect:
          - {metric: lost-requests, below: 1}
        """.formatted(app), Map.of());
    assertEquals(ScenarioResult.FAILED, r.outcome(), () -> verdicts(r));
    assertNotNull(r.abortedBy(), () -> verdicts(r));
    assertTrue(r.abortedAtSeconds() < 20, "stopped early: " + r.abortedAtSeconds());
    for (ScenarioResult.FaultResult f : r.faults()) {
      assertFalse(Double.isNaN(f.healedSeconds()), "healed at the end: " + f);
    }
    List<String> left = Processes.awaitNoDescendants(Duration.ofSeconds(20));
    assertTrue(left.isEmpty(), "the hung (SIGSTOPped) dyno and every other process stopped: " + left);
  }

  @Test
  void aCancelledRunStillHealsAndStops() throws Exception {
    Scenario s = ScenarioParser.parse("""
        duration: 60s
        apps:
          shop:
            formation: {web: 2}
            service: {time: "constant(5ms)", concurrency: 4}
        load:
          - {app: shop, rate: 20/s}
        faults:
          - {at: 1s, maintenance: shop, for: 50s}
        """, "cancel.yaml", null);
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    ScenarioRunner runner = new ScenarioRunner(s, lines::add);
    CompletableFuture<ScenarioResult> result = CompletableFuture.supplyAsync(runner::run);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (lines.stream().noneMatch(l -> l.contains("fault 1")) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    runner.cancel();
    ScenarioResult r = result.get(120, TimeUnit.SECONDS);
    assertEquals(ScenarioResult.ERROR, r.outcome());
    assertEquals("cancelled", r.problem());
    assertEquals(2, r.exitCode());
    assertFalse(Double.isNaN(r.faults().get(0).healedSeconds()), "maintenance was switched off again");
  }
}
