package io.manifold.scenarios.chaos.report;

import io.manifold.scenarios.chaos.Scenario;
import io.manifold.scenarios.chaos.Scenario.Bound;
import io.manifold.scenarios.chaos.Scenario.Expectation;
import io.manifold.scenarios.chaos.Scenario.FaultDef;
import io.manifold.scenarios.chaos.Scenario.Metric;
import io.manifold.scenarios.chaos.Scenario.Window;
import io.manifold.scenarios.chaos.ScenarioResult;
import io.manifold.scenarios.chaos.ScenarioResult.ExpectationResult;
import io.manifold.scenarios.chaos.ScenarioResult.FaultResult;
import io.manifold.scenarios.yaml.Location;
import io.manifold.sim.dist.Distribution;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-built runs for the reports' tests: a node-loss scenario of 60 s with three faults (a node
 * killed for 15 s, a crash at once, a partition that heals) and four expectations, of which one
 * failed and one had no value; variants for an abort and an error.
 */
final class Runs {
  static final Instant STARTED = Instant.parse("2026-11-29T08:00:00.250Z");
  static final Instant FINISHED = Instant.parse("2026-11-29T08:01:12.750Z");

  private Runs() {}

  static Location at(int line) {
    return new Location("scenarios/library/node-loss.yaml", line, 5);
  }

  static Scenario scenario(String name) {
    Scenario.AppDef shop = new Scenario.AppDef("shop", null, Map.of("web", 6),
        new Scenario.Service(new Distribution.Constant(40e6), 1, null, "2s", null, null), Map.of("GREETING", "<b>hi</b>"), null);
    Scenario.LoadDef load = new Scenario.LoadDef(at(10), "shop",
        new Scenario.Open(true, List.of(new Scenario.Segment(Duration.ofSeconds(60), 200, 200))), Duration.ZERO, Duration.ofSeconds(60),
        "/", List.of());
    List<FaultDef> faults = List.of(
        new FaultDef(1, at(13), Duration.ofSeconds(20), Duration.ofSeconds(15), new Scenario.KillNode(2)),
        new FaultDef(2, at(14), Duration.ofSeconds(40), null,
            new Scenario.DynoFault(new Scenario.Crash(), new Scenario.Selector("shop", "web.3", null, null, null))),
        new FaultDef(3, at(15), Duration.ofSeconds(45), Duration.ofSeconds(5),
            new Scenario.Partition(List.of(1), List.of(2, 3), false)));
    List<Expectation> expectations = List.of(
        new Expectation(1, at(17), Metric.ERROR_RATE, Window.WHOLE, new Bound(true, 0.02), null, null),
        new Expectation(2, at(18), Metric.P99, new Window(Window.Kind.AFTER_RECOVERY, null, null, null), new Bound(true, 1e9), null, null),
        new Expectation(3, at(19), Metric.RECOVERY_TIME, Window.WHOLE, new Bound(true, 15e9), null, 1),
        new Expectation(4, at(20), Metric.LOST, Window.WHOLE, new Bound(true, 1), null, null));
    List<Expectation> abort = List.of(
        new Expectation(1, at(22), Metric.ERROR_RATE, new Window(Window.Kind.LAST, null, null, Duration.ofSeconds(5)), new Bound(false, 0.5),
            null, null));
    return new Scenario(name, "One of three nodes dies at peak; its dynos must come back.", "scenarios/library/node-loss.yaml", 42,
        Duration.ofSeconds(60), 3, Map.of("shop", shop), new Scenario.RouterDef("random", Duration.ofSeconds(30)), List.of(load),
        faults, expectations, abort);
  }

  /** Three of four expectations met would pass; here the p99 one failed and recovery never came. */
  static ScenarioResult failed(String name) {
    Scenario s = scenario(name);
    List<ExpectationResult> verdicts = List.of(
        new ExpectationResult(1, s.expectations().get(0).describe(), "error-rate", "over the whole run", "below 2%", 0.004, "0.40%", true, ""),
        new ExpectationResult(2, s.expectations().get(1).describe(), "p99-latency", "after recovery", "below 1.00s", 1450.0, "1.45s", false, ""),
        new ExpectationResult(3, s.expectations().get(2).describe(), "recovery-time", "", "below 15.00s", Double.NaN, "-", false,
            "fault 1's formation was not whole again before the run ended"),
        new ExpectationResult(4, s.expectations().get(3).describe(), "lost-requests", "over the whole run", "below 1", 0, "0", true, ""));
    List<FaultResult> faults = List.of(
        new FaultResult(1, "kill-node", s.faults().get(0).describe(), "node-2", 20.01, 35.02, Double.NaN, 1.2, 6.5, 7.1,
            Map.of("shop", List.of("web.2", "web.5")), ""),
        new FaultResult(2, "crash-dyno", s.faults().get(1).describe(), "shop/web.3", 40.0, Double.NaN, 2.5, Double.NaN, Double.NaN,
            Double.NaN, Map.of(), ""),
        new FaultResult(3, "partition", s.faults().get(2).describe(), "[1] | [2, 3]", 45.0, 50.0, 0, Double.NaN, Double.NaN, Double.NaN,
            Map.of(), ""));
    return result(s, ScenarioResult.FAILED, null, null, Double.NaN, verdicts, faults, 60);
  }

  static ScenarioResult passed(String name) {
    ScenarioResult f = failed(name);
    List<ExpectationResult> allMet = f.expectations().stream()
        .map(e -> new ExpectationResult(e.index(), e.describe(), e.metric(), e.window(), e.bound(), 1, "1", true, "")).toList();
    return result(f.scenario(), ScenarioResult.PASSED, null, null, Double.NaN, allMet, f.faults(), 60);
  }

  static ScenarioResult aborted(String name) {
    ScenarioResult f = failed(name);
    // faults 2 and 3 were due after the abort: they never fired
    List<FaultResult> faults = new ArrayList<>(f.faults().subList(0, 1));
    for (FaultResult later : f.faults().subList(1, 3)) {
      faults.add(new FaultResult(later.index(), later.kind(), later.describe(), "", Double.NaN, Double.NaN, Double.NaN, Double.NaN,
          Double.NaN, Double.NaN, Map.of(), "did not fire (the run ended first)"));
    }
    return result(f.scenario(), ScenarioResult.FAILED, null, f.scenario().abort().get(0).describe(), 23.0, f.expectations(), faults, 23);
  }

  static ScenarioResult error(String name, String problem) {
    ScenarioResult f = failed(name);
    return result(f.scenario(), ScenarioResult.ERROR, problem, null, Double.NaN, f.expectations(), f.faults(), 0);
  }

  static ScenarioResult result(Scenario s, String outcome, String problem, String abortedBy, double abortedAt,
      List<ExpectationResult> verdicts, List<FaultResult> faults, int seconds) {
    List<ScenarioResult.Point> series = new ArrayList<>();
    long requests = 0;
    long errors = 0;
    for (int t = 0; t < seconds; t++) {
      Map<String, Long> codes = new LinkedHashMap<>();
      if (t >= 20 && t < 27) {
        codes.put("H13", 12L);
        codes.put("H12", 3L);
      }
      if (t == 40) {
        codes.put("503", 4L);
      }
      long e = codes.values().stream().mapToLong(Long::longValue).sum();
      boolean down = t >= 20 && t < 28;
      // p50 4-6 ms, p99 up to 1.5 s while the node is down: a span of 20x and more
      series.add(new ScenarioResult.Point(t, 200, e, 200 - e, 4 + t % 3, down ? 1450 : 20, down ? 2900 : 60, codes, down ? 4 : 6, 6));
      requests += 200;
      errors += e;
    }
    if (seconds > 5) {
      // a second in which nothing was due: nothing measured, NaN
      series.set(5, new ScenarioResult.Point(5, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, Map.of(), 6, 6));
      requests -= 200;
    }
    Map<String, Long> byCode = new LinkedHashMap<>();
    byCode.put("200", requests - errors);
    if (errors > 0) {
      byCode.put("H13", 84L);
      byCode.put("H12", 21L);
    }
    ScenarioResult.Totals totals = new ScenarioResult.Totals(requests, requests - errors, errors, 0, 0, 0,
        requests == 0 ? Double.NaN : (double) errors / requests, nanIfNone(requests, 5.0), nanIfNone(requests, 19.5),
        nanIfNone(requests, 1450.0), nanIfNone(requests, 2800.0), nanIfNone(requests, 2900.0), byCode, 12_345, 7);
    return new ScenarioResult(s, s.seed(), "0.1.0-test", STARTED, FINISHED, outcome, problem, abortedBy, abortedAt, verdicts, faults,
        totals, series, "3f9a2c10-1b2c", requests, 1.75, "http://127.0.0.1:41234/");
  }

  private static double nanIfNone(long requests, double v) {
    return requests == 0 ? Double.NaN : v;
  }
}
