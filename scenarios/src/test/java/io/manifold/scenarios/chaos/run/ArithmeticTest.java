package io.manifold.scenarios.chaos.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.scenarios.chaos.Scenario;
import io.manifold.scenarios.chaos.ScenarioParser;
import io.manifold.scenarios.chaos.ScenarioResult;
import io.manifold.sim.random.RandomStreams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The numbers behind the verdicts: the timeline's slices, arrival schedules, windows, recoveries. */
class ArithmeticTest {
  private static final long S = 1_000_000_000L;

  private static Timeline.Outcome ok(double atSeconds, double latencyMs) {
    return new Timeline.Outcome((long) (atSeconds * S), Timeline.Kind.OK, 200, "200", (long) (latencyMs * 1e6));
  }

  private static Timeline.Outcome routerError(double atSeconds, String code, double latencyMs) {
    return new Timeline.Outcome((long) (atSeconds * S), Timeline.Kind.ROUTER_ERROR, 503, code, (long) (latencyMs * 1e6));
  }

  @Test
  void aSliceSumsItsBucketsAndCountsErrorsByKind() {
    Timeline t = new Timeline(10 * S);
    for (int i = 0; i < 90; i++) {
      t.record(ok(i / 10.0, 10 + i));
    }
    t.record(routerError(2.5, "H12", 30_000));
    t.record(new Timeline.Outcome(3 * S, Timeline.Kind.LOST, 0, "lost", 45 * S));
    t.record(new Timeline.Outcome(3 * S, Timeline.Kind.CLIENT_ERROR, 404, "404", 1_000_000));
    Timeline.Slice all = t.slice(0, 10 * S);
    assertEquals(93, all.requests());
    assertEquals(2, all.errors(), "a 404 is the client's, not an error; H12 and lost are");
    assertEquals(2.0 / 93, all.errorRate(), 1e-12);
    assertEquals(1, all.code("H12"));
    assertEquals(1, all.count(Timeline.Kind.LOST));
    assertEquals(92, all.answered(), "latency counts every answer (the H12 and the 404 too), not the lost request");
    assertEquals(30_000e6, all.maxLatency(), 30_000e6 * 0.01, "to two significant digits");

    Timeline.Slice first = t.slice(0, 2 * S);
    assertEquals(20, first.requests());
    assertEquals(0, first.errors());
    assertEquals(10, first.throughput(), 1e-9, "20 answers without an error over 2 s");
    assertEquals(Double.NaN, t.slice(9 * S, 10 * S).errorRate(), "no request, no rate");
    assertEquals(Double.NaN, t.slice(9 * S, 10 * S).latency(99));
  }

  @Test
  void longRunsGetWiderBucketsSoThatATimelineStaysSmall() {
    Timeline hour = new Timeline(3600 * S);
    assertTrue(hour.size() <= Timeline.MAX_BUCKETS + 1, "at most ~600 buckets");
    assertEquals(8 * S, hour.bucketNanos());
    hour.record(ok(3599.9, 1));
    hour.record(ok(7200, 1));
    assertEquals(1, hour.slice(3590 * S, 3600 * S).requests());
    assertEquals(2, hour.slice(3590 * S, 3610 * S).requests(), "a request due past the end lands in the last bucket");
  }

  @Test
  void theSameSeedDrawsTheSameArrivals() {
    Scenario.Open poisson = new Scenario.Open(true, List.of(new Scenario.Segment(Duration.ofHours(1), 200, 200)));
    List<Long> a = draw(poisson, 10 * S, 42);
    List<Long> b = draw(poisson, 10 * S, 42);
    List<Long> c = draw(poisson, 10 * S, 43);
    assertEquals(a, b);
    assertFalse(a.equals(c));
    assertEquals(2000, a.size(), 2000 * 0.1, "about rate x length");
    for (int i = 1; i < a.size(); i++) {
      assertTrue(a.get(i) >= a.get(i - 1));
    }
    assertTrue(a.get(a.size() - 1) < 10 * S, "the schedule ends with the load");
  }

  @Test
  void constantArrivalsAreEvenlySpacedAndRampsFollowTheProfile() {
    Scenario.Open constant = new Scenario.Open(false, List.of(
        new Scenario.Segment(Duration.ofSeconds(2), 10, 10),
        new Scenario.Segment(Duration.ofSeconds(2), 0, 0),
        new Scenario.Segment(Duration.ofSeconds(2), 10, 30)));
    List<Long> at = draw(constant, 6 * S, 1);
    assertEquals(0, at.get(0));
    assertEquals(S / 10, at.get(1) - at.get(0));
    assertEquals(20, at.stream().filter(x -> x < 2 * S).count());
    assertEquals(0, at.stream().filter(x -> x >= 2 * S && x < 4 * S).count(), "a segment at 0/s sends nothing");
    long ramp = at.stream().filter(x -> x >= 4 * S).count();
    assertEquals(40, ramp, 2, "a ramp from 10/s to 30/s over 2 s sends about 40");
  }

  private static List<Long> draw(Scenario.Open open, long length, long seed) {
    ArrivalSchedule s = new ArrivalSchedule(open, length, new RandomStreams(seed).stream("load/0/arrivals"));
    List<Long> at = new ArrayList<>();
    for (long t = s.next(); t >= 0 && at.size() < 1_000_000; t = s.next()) {
      at.add(t);
    }
    return at;
  }

  // --- windows and verdicts ---

  private static final Scenario SCENARIO = ScenarioParser.parse("""
      duration: 60s
      apps: {shop: {formation: {web: 2}}}
      faults:
        - {at: 10s, maintenance: shop, for: 10s}
        - {at: 30s, restart-all: shop}
      expect:
        - {metric: error-rate, below: 10%}
        - {metric: error-rate, during: before, below: 1%}
        - {metric: error-rate, during: fault, fault: 1, above: 90%}
        - {metric: p99-latency, during: after-recovery, below: 100ms}
        - {metric: recovery-time, fault: 2, below: 5s}
        - {metric: responses, code: H80, above: 50}
        - {metric: lost-requests, below: 1}
        - {metric: throughput, from: 40s, to: 50s, above: 9/s}
      """, "w.yaml", null);

  /** 10 requests a second; maintenance (H80) from 10 s to 20 s; a slow stretch from 30 s until 33 s. */
  private static Timelines traffic() {
    Timelines t = new Timelines(60 * S, 10 * S, List.of("shop", "other"));
    for (int i = 0; i < 600; i++) {
      double at = i / 10.0;
      if (at >= 10 && at < 20) {
        t.record("shop", routerError(at, "H80", 1));
      } else {
        t.record("shop", ok(at, at >= 30 && at < 33 ? 900 : 20));
      }
    }
    return t;
  }

  private static Verdicts.Facts facts(Timelines t, long now, double[] recovery) {
    return new Verdicts.Facts(t, SCENARIO, now, new long[] {10 * S, 30 * S}, recovery, 0);
  }

  @Test
  void windowsAreTheStretchesTheyName() {
    Verdicts.Facts f = facts(traffic(), 60 * S, new double[] {0, 3 * S});
    List<Scenario.Expectation> e = SCENARIO.expectations();
    assertEquals(List.of(0L, 60 * S), List.of(Verdicts.window(e.get(0).window(), f)[0], Verdicts.window(e.get(0).window(), f)[1]));
    long[] before = Verdicts.window(e.get(1).window(), f);
    assertEquals(10 * S, before[1], "before: until the first fault");
    long[] during = Verdicts.window(e.get(2).window(), f);
    assertEquals(10 * S, during[0]);
    assertEquals(20 * S, during[1], "during: while the fault lasts");
    long[] after = Verdicts.window(e.get(3).window(), f);
    assertEquals(33 * S, after[0], "after the last fault's recovery: 30 s + 3 s");
    assertNull(Verdicts.window(e.get(3).window(), facts(traffic(), 60 * S, new double[] {0, Double.NaN})),
        "a recovery that never came opens no window");
  }

  @Test
  void theSteadyStateBeforeTheFirstFaultHoldsOnlyRequestsAnsweredBeforeIt() {
    Timelines t = new Timelines(60 * S, 10 * S, List.of("shop"));
    t.record("shop", ok(9.5, 100));
    // due before the fault, answered after it fired: the fault may have made this error
    t.record("shop", routerError(9.95, "H12", 100));
    t.record("shop", ok(10.5, 1));
    Timeline.Slice quiet = t.of("shop").quiet();
    assertEquals(1, quiet.requests());
    assertEquals(0, quiet.code("H12"));
    assertEquals(2, t.of("shop").slice(0, 10 * S).requests(), "the bucketed window counts requests by when they were due");
    Scenario.Expectation clean = ScenarioParser.parse("""
        duration: 60s
        apps: {shop: {formation: {web: 1}}}
        faults: [{at: 10s, maintenance: shop}]
        expect: [{metric: error-rate, during: before, below: 1%}]
        """, "q.yaml", null).expectations().get(0);
    assertTrue(Verdicts.judge(clean, new Verdicts.Facts(t, SCENARIO, 60 * S, new long[] {10 * S, 30 * S}, new double[] {0, 0}, 0)).met());
  }

  @Test
  void verdictsFollowTheArithmetic() {
    Verdicts.Facts f = facts(traffic(), 60 * S, new double[] {0, 3 * S});
    List<ScenarioResult.ExpectationResult> v = SCENARIO.expectations().stream().map(e -> Verdicts.judge(e, f)).toList();
    assertFalse(v.get(0).met(), "100 of 600 are H80: 16.7% is not below 10%");
    assertEquals(100.0 / 600, v.get(0).measured(), 1e-9);
    assertTrue(v.get(1).met());
    assertTrue(v.get(2).met(), "every request during maintenance got H80");
    assertTrue(v.get(3).met(), "after 33 s the latency is back to 20 ms");
    assertEquals(20, v.get(3).measured(), 0.5, "times are shown in ms");
    assertTrue(v.get(4).met());
    assertEquals(3000, v.get(4).measured(), 1e-9);
    assertTrue(v.get(5).met());
    assertEquals(100, v.get(5).measured());
    assertTrue(v.get(6).met());
    assertTrue(v.get(7).met(), "10 answers a second between 40 s and 50 s");
  }

  @Test
  void anExpectationAboutOneAppMeasuresThatAppsRequestsOnly() {
    Timelines t = traffic();
    for (int i = 0; i < 100; i++) {
      t.record("other", routerError(i / 10.0 + 40, "H12", 5000));
    }
    Scenario s = ScenarioParser.parse("""
        duration: 60s
        apps: {shop: {formation: {web: 2}}, other: {formation: {web: 2}}}
        expect:
          - {metric: responses, code: H12, app: shop, below: 1}
          - {metric: responses, code: H12, app: other, above: 99}
          - {metric: responses, code: H12, above: 99}
          - {metric: p99-latency, from: 40s, to: 50s, app: shop, below: 100ms}
        """, "p.yaml", null);
    Verdicts.Facts f = new Verdicts.Facts(t, s, 60 * S, new long[0], new double[0], 0);
    for (Scenario.Expectation e : s.expectations()) {
      assertTrue(Verdicts.judge(e, f).met(), e::describe);
    }
    assertEquals("responses H12 of shop over the whole run below 1", s.expectations().get(0).describe());
  }

  @Test
  void anExpectationWithNothingToMeasureIsNotMet() {
    Verdicts.Facts f = facts(traffic(), 60 * S, new double[] {0, Double.NaN});
    ScenarioResult.ExpectationResult recovery = Verdicts.judge(SCENARIO.expectations().get(4), f);
    assertFalse(recovery.met());
    assertTrue(recovery.detail().contains("was not whole again"), recovery.detail());
    ScenarioResult.ExpectationResult after = Verdicts.judge(SCENARIO.expectations().get(3), f);
    assertFalse(after.met());
    assertTrue(after.detail().contains("never came"), after.detail());
    ScenarioResult.ExpectationResult empty = Verdicts.judge(SCENARIO.expectations().get(0), facts(new Timelines(60 * S, 10 * S, List.of("shop")), 60 * S, new double[] {0, 0}));
    assertFalse(empty.met(), "no request at all is no pass");
  }

  @Test
  void whileTheRunGoesOnAGrowingCountFailsAsSoonAsItIsPastItsBound() {
    Timelines t = traffic();
    t.record("shop", new Timeline.Outcome(5 * S, Timeline.Kind.LOST, 0, "lost", 45 * S));
    Verdicts.Facts at25 = facts(t, 25 * S, new double[] {0, Double.NaN});
    assertEquals("failed", Verdicts.provisional(SCENARIO.expectations().get(6), at25), "one lost request is one too many, for good");
    assertEquals("pending", Verdicts.provisional(SCENARIO.expectations().get(0), at25), "a rate over the whole run is open until the end");
    assertEquals("met", Verdicts.provisional(SCENARIO.expectations().get(2), at25), "the fault's window is over and met");
  }

  @Test
  void anAbortConditionHoldsOverTheLastStretchOnly() {
    Scenario s = ScenarioParser.parse("""
        duration: 60s
        apps: {shop: {formation: {web: 2}}}
        abort:
          - {metric: error-rate, over: 5s, above: 50%}
        """, "a.yaml", null);
    Timelines t = traffic();
    Scenario.Expectation abort = s.abort().get(0);
    assertTrue(Verdicts.holds(abort, new Verdicts.Facts(t, s, 15 * S, new long[0], new double[0], 0)), "10-15 s: all H80");
    assertFalse(Verdicts.holds(abort, new Verdicts.Facts(t, s, 9 * S, new long[0], new double[0], 0)));
    assertFalse(Verdicts.holds(abort, new Verdicts.Facts(t, s, 40 * S, new long[0], new double[0], 0)), "long over");
  }

  // --- recoveries ---

  private static FormationWatch.Sample sample(double atSeconds, int up, int wanted) {
    return new FormationWatch.Sample((long) (atSeconds * S),
        Map.of("shop", new FormationWatch.AppSample(Map.of("web", wanted), Map.of("web", up), Map.of())), Map.of());
  }

  private static FaultInjector.FaultRecord fired(Scenario.FaultDef def, double atSeconds) {
    FaultInjector.FaultRecord r = new FaultInjector.FaultRecord(def);
    r.firedNanos = (long) (atSeconds * S);
    return r;
  }

  @Test
  void aRecoveryRunsFromTheFaultUntilTheFormationIsWholeAgain() {
    List<FaultInjector.FaultRecord> faults = List.of(fired(SCENARIO.faults().get(0), 10), fired(SCENARIO.faults().get(1), 30));
    List<FormationWatch.Sample> samples = new ArrayList<>();
    for (double t = 0; t < 60; t += 0.5) {
      boolean broken = t >= 31 && t < 34.5;
      samples.add(sample(t, broken ? 1 : 2, 2));
    }
    double[] r = Recoveries.of(faults, samples);
    assertEquals(0, r[0], "maintenance never broke the formation");
    assertEquals(4.5 * S, r[1], 1, "broken from 31 s, whole again at 34.5 s: 4.5 s after the fault");

    List<FormationWatch.Sample> never = new ArrayList<>();
    for (double t = 0; t < 60; t += 0.5) {
      never.add(sample(t, t >= 31 ? 1 : 2, 2));
    }
    assertTrue(Double.isNaN(Recoveries.of(faults, never)[1]), "not whole again before the end");
    FaultInjector.FaultRecord notFired = new FaultInjector.FaultRecord(SCENARIO.faults().get(1));
    assertTrue(Double.isNaN(Recoveries.of(List.of(faults.get(0), notFired), samples)[1]), "a fault that did not fire has no recovery");
  }

  @Test
  void faultsDueAtTheSameMomentShareTheirWindowWhicheverFiredFirst() {
    Scenario s = ScenarioParser.parse("""
        duration: 60s
        apps: {shop: {formation: {web: 2}}}
        faults:
          - {at: 13s, crash-loop: {app: shop, dyno: web.1}, for: 3s}
          - {at: 13s, maintenance: shop, for: 3s}
        """, "same.yaml", null);
    // the second fault's thread fired a moment before the first's
    List<FaultInjector.FaultRecord> faults = List.of(fired(s.faults().get(0), 13.0009), fired(s.faults().get(1), 13.0001));
    List<FormationWatch.Sample> samples = new ArrayList<>();
    for (double t = 0; t < 60; t += 0.2) {
      samples.add(sample(t, t >= 13.2 && t < 20 ? 1 : 2, 2));
    }
    double[] r = Recoveries.of(faults, samples);
    assertEquals(20 - 13.0009, r[0] / S, 0.21, "the crash loop broke the formation until 20 s");
  }
}
