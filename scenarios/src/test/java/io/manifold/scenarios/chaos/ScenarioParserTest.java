package io.manifold.scenarios.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.scenarios.chaos.Scenario.Metric;
import io.manifold.scenarios.chaos.Scenario.Window;
import io.manifold.scenarios.yaml.YamlException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioParserTest {

  private static Scenario parse(String yaml) {
    return ScenarioParser.parse(yaml, "s.yaml", null);
  }

  /** Every problem, one per line: file:line:column: field: message. */
  private static List<String> problems(String yaml) {
    return assertThrows(YamlException.class, () -> parse(yaml)).getMessage().lines().toList();
  }

  private static void assertProblem(List<String> problems, String expected) {
    assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), () -> "expected a problem containing '" + expected + "' in " + problems);
  }

  private static final String SHOP = """
      apps:
        shop:
          formation: {web: 6, worker: 1}
      """;

  @Test
  void theIssuesExampleIsReadWithEveryPart() {
    Scenario s = parse("""
        name: node-loss-under-load
        description: One of three nodes dies at peak; its dynos must come back on the survivors.
        seed: 42
        cluster: { nodes: 3 }
        apps:
          shop:
            runtime: synthetic
            formation: { web: 6 }
            service: { time: "lognormal(median=40ms, p99=400ms)", concurrency: 1, boot: 2s }
        router: { policy: random, timeout: 30s }
        load:
          - { app: shop, arrivals: poisson, rate: 200/s, duration: 60s }
        faults:
          - { at: 20s, kill-node: 2 }
          - { at: 35s, partition: { sides: [[1], [3]] }, for: 10s }
          - { at: 50s, crash-dyno: { app: shop, dyno: web.3 } }
        expect:
          - { metric: error-rate, during: whole, below: 2% }
          - { metric: p99-latency, during: after-recovery, below: 1s }
          - { metric: recovery-time, fault: 1, below: 15s }
          - { metric: lost-requests, below: 1 }
        """);
    assertEquals("node-loss-under-load", s.name());
    assertEquals(42, s.seed());
    assertEquals(3, s.nodes());
    assertEquals(Duration.ofSeconds(60), s.duration(), "the run lasts as long as its load");
    Scenario.AppDef shop = s.apps().get("shop");
    assertTrue(shop.synthetic());
    assertEquals(Map.of("web", 6), shop.formation());
    assertEquals(1, shop.service().concurrency());
    assertEquals("2s", shop.service().boot());
    assertEquals("random", s.router().policy());
    assertEquals(Duration.ofSeconds(30), s.router().timeout());

    Scenario.LoadDef load = s.load().get(0);
    Scenario.Open open = assertInstanceOf(Scenario.Open.class, load.arrivals());
    assertTrue(open.poisson());
    assertEquals(200, open.profile().get(0).from());
    assertEquals(Duration.ofSeconds(60), load.duration());

    assertEquals(3, s.faults().size());
    assertEquals(new Scenario.KillNode(2), s.faults().get(0).fault());
    assertEquals(Duration.ofSeconds(20), s.faults().get(0).at());
    assertNull(s.faults().get(0).lasts());
    assertEquals(new Scenario.Partition(List.of(1), List.of(3), false), s.faults().get(1).fault());
    assertEquals(Duration.ofSeconds(10), s.faults().get(1).lasts());
    Scenario.DynoFault crash = assertInstanceOf(Scenario.DynoFault.class, s.faults().get(2).fault());
    assertInstanceOf(Scenario.Crash.class, crash.effect());
    assertEquals("web.3", crash.dynos().dyno());

    assertEquals(4, s.expectations().size());
    Scenario.Expectation errorRate = s.expectations().get(0);
    assertEquals(Metric.ERROR_RATE, errorRate.metric());
    assertEquals(Window.WHOLE, errorRate.window());
    assertTrue(errorRate.bound().below());
    assertEquals(0.02, errorRate.bound().value(), 1e-12);
    assertEquals(Window.Kind.AFTER_RECOVERY, s.expectations().get(1).window().kind());
    assertEquals(1e9, s.expectations().get(1).bound().value(), "times are kept in nanoseconds");
    assertEquals(1, s.expectations().get(2).fault());
    assertEquals(Metric.LOST, s.expectations().get(3).metric());
  }

  @Test
  void defaultsFillWhatAFileLeavesOut() {
    Scenario s = parse(SHOP + "load: {app: shop, rate: 10/s, duration: 5s}\n");
    assertEquals("s", s.name(), "named after its file");
    assertEquals(1, s.seed());
    assertEquals(1, s.nodes());
    assertEquals("random", s.router().policy());
    assertEquals(Duration.ofSeconds(30), s.router().timeout());
    assertEquals(Duration.ofSeconds(5), s.duration());
    assertEquals("/", s.load().get(0).path());
    assertTrue(s.load().get(0).via().isEmpty(), "every node's router in turn");
    assertTrue(s.expectations().isEmpty());
  }

  @Test
  void anAppMayHaveARoutingPolicyOfItsOwn() {
    Scenario s = parse("""
        duration: 10s
        router: {policy: random}
        apps:
          lc: {formation: {web: 2}, policy: least-connections}
          rnd: {formation: {web: 2}}
        """);
    assertEquals("least-connections", s.apps().get("lc").policy());
    assertNull(s.apps().get("rnd").policy(), "rnd follows the scenario's router");
    assertProblem(problems("duration: 10s\napps: {ab: {formation: {web: 1}, policy: fastest}}\n"),
        "apps.ab.policy: expected one of random, round-robin, least-connections, power-of-two but found 'fastest'");
  }

  @Test
  void everyKindOfFaultIsRead() {
    Scenario s = parse(SHOP + """
        cluster: {nodes: 3}
        duration: 100s
        faults:
          - {at: 1s, stop-node: 3, for: 5s}
          - {at: 2s, restart-node: {node: 2, graceful: true}}
          - {at: 3s, partition: {sides: [[1]], one-way: true}, for: 2s}
          - {at: 4s, crash-loop: {app: shop, type: web, count: 2}, for: 5s}
          - {at: 5s, hang-dyno: {app: shop, type: web, percent: 50%}, for: 5s}
          - {at: 6s, slow-dyno: {app: shop, dyno: web.1, latency: 500ms}, for: 5s}
          - {at: 7s, error-dyno: {app: shop, dyno: web.2, share: 20%}}
          - {at: 8s, memory-leak: {app: shop, dyno: web.2, per-request: 5MB}}
          - {at: 9s, scale: {app: shop, web: 3, worker: 0}}
          - {at: 10s, restart-all: shop}
          - {at: 11s, maintenance: {app: shop}, for: 5s}
          - {at: 12s, config: {app: shop, set: {SYNTHETIC_SERVICE: constant(100ms)}}, for: 10s}
          - {at: 13s, link-latency: {sides: [[2], [3]], latency: 200ms, jitter: 20ms}, for: 5s}
          - {at: 14s, link-latency: {sides: [[3]], latency: 3s}}
          - {at: 15s, kill-node: 1}
        """);
    List<Scenario.Fault> f = s.faults().stream().map(Scenario.FaultDef::fault).toList();
    assertEquals(new Scenario.StopNode(3), f.get(0));
    assertEquals(new Scenario.RestartNode(2, true), f.get(1));
    assertEquals(new Scenario.Partition(List.of(1), List.of(2, 3), true), f.get(2), "one side given: the other is the rest");
    assertEquals(new Scenario.Selector("shop", null, "web", 2, null), ((Scenario.DynoFault) f.get(3)).dynos());
    assertEquals(0.5, ((Scenario.DynoFault) f.get(4)).dynos().percent());
    assertEquals(new Scenario.Slow(Duration.ofMillis(500)), ((Scenario.DynoFault) f.get(5)).effect());
    assertEquals(new Scenario.Errors(0.2), ((Scenario.DynoFault) f.get(6)).effect());
    assertEquals(new Scenario.Leak(5L << 20), ((Scenario.DynoFault) f.get(7)).effect());
    assertEquals(new Scenario.Scale("shop", Map.of("web", 3, "worker", 0)), f.get(8));
    assertEquals(new Scenario.RestartAll("shop"), f.get(9));
    assertEquals(new Scenario.Maintenance("shop"), f.get(10));
    assertEquals(new Scenario.ConfigChange("shop", Map.of("SYNTHETIC_SERVICE", "constant(100ms)")), f.get(11));
    assertEquals(new Scenario.LinkLatency(List.of(2), List.of(3), Duration.ofMillis(200), Duration.ofMillis(20)), f.get(12));
    assertEquals("link latency 200ms +/- 20ms [2] <-> [3]", f.get(12).describe());
    assertEquals(new Scenario.LinkLatency(List.of(3), List.of(1, 2), Duration.ofSeconds(3), Duration.ZERO), f.get(13),
        "one side given: the other is the rest; no jitter unless asked");
    assertEquals(new Scenario.KillNode(1), f.get(14));
    for (int i = 0; i < s.faults().size(); i++) {
      assertEquals(i + 1, s.faults().get(i).index());
    }
  }

  @Test
  void loadsOfEveryKindAreRead(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("trace.csv"), "at_ms,service_ms\n0,10\n500,\n1500,30\n");
    Scenario s = ScenarioParser.parse(SHOP + """
        duration: 30s
        load:
          - {app: shop, arrivals: constant, profile: [{for: 10s, rate: 10/s}, {for: 10s, rate: 10/s..50/s}], via: [1]}
          - {app: shop, arrivals: closed, users: 5, think: exponential(mean=1s), start: 5s}
          - {app: shop, arrivals: replay, file: trace.csv, path: "/orders?page=2"}
        """, "s.yaml", dir);
    Scenario.Open open = (Scenario.Open) s.load().get(0).arrivals();
    assertFalse(open.poisson());
    assertEquals(2, open.profile().size());
    assertEquals(50, open.profile().get(1).to());
    assertEquals(Duration.ofSeconds(20), s.load().get(0).duration(), "a profile lasts as long as its segments");
    assertEquals(List.of(1), s.load().get(0).via());
    Scenario.Closed closed = (Scenario.Closed) s.load().get(1).arrivals();
    assertEquals(5, closed.users());
    assertEquals(Duration.ofSeconds(25), s.load().get(1).duration(), "until the run ends");
    Scenario.Replay replay = (Scenario.Replay) s.load().get(2).arrivals();
    assertEquals(3, replay.atNanos().length);
    assertEquals(1_500_000_000L, replay.atNanos()[2]);
    assertEquals(-1, replay.serviceNanos()[1], "no service time given");
    assertEquals("/orders?page=2", s.load().get(2).path());
  }

  @Test
  void windowsAndBoundsOfEveryKindAreRead() {
    Scenario s = parse(SHOP + """
        duration: 60s
        faults:
          - {at: 10s, maintenance: shop, for: 5s}
        expect:
          - {metric: p99.9-latency, during: before, below: 2s}
          - {metric: error-rate, during: fault, fault: 1, below: 100%}
          - {metric: throughput, from: 20s, to: 40s, above: 5/s}
          - {metric: responses, code: H80, above: 0}
          - {metric: max-latency, during: after-recovery, fault: 1, below: 30s}
          - {metric: log-lines-dropped, below: 1}
        abort:
          - {metric: error-rate, over: 5s, above: 90%}
        """);
    List<Scenario.Expectation> e = s.expectations();
    assertEquals(Window.Kind.BEFORE, e.get(0).window().kind());
    assertEquals(new Window(Window.Kind.DURING, 1, null, null), e.get(1).window());
    assertEquals(new Window(Window.Kind.RANGE, null, Duration.ofSeconds(20), Duration.ofSeconds(40)), e.get(2).window());
    assertFalse(e.get(2).bound().below());
    assertEquals(5.0, e.get(2).bound().value());
    assertEquals("H80", e.get(3).code());
    assertEquals(1, e.get(4).window().fault());
    Scenario.Expectation abort = s.abort().get(0);
    assertEquals(new Window(Window.Kind.LAST, null, null, Duration.ofSeconds(5)), abort.window());
    assertEquals(0.9, abort.bound().value(), 1e-12);
  }

  @Test
  void everyProblemIsPlacedAndListedAtOnce() {
    List<String> p = problems("""
        nmae: typo
        apps:
          shop:
            formation: {web: 2}
        load: {app: shopp, rate: 10/s, duration: 10s}
        expect:
          - {metric: error-rat, below: 2%}
        """);
    assertProblem(p, "s.yaml:1:1: nmae: unknown field; did you mean 'name'?");
    assertProblem(p, "s.yaml:5:13: load[0].app: no app 'shopp' in this scenario; did you mean 'shop'?");
    assertProblem(p, "s.yaml:7:14: expect[0].metric: unknown metric 'error-rat'; did you mean 'error-rate'?");
    assertEquals(3, p.size(), p::toString);
  }

  @Test
  void badFaultsAreRefusedWithWhatWasExpected() {
    List<String> p = problems(SHOP + """
        cluster: {nodes: 3}
        duration: 60s
        faults:
          - {at: 5s}
          - {at: 6s, kill-node: 2, stop-node: 3}
          - {at: 7s, kill-node: 4}
          - {at: 8s, kill-node: 2}
          - {at: 9s, partition: {sides: [[2], [3]]}}
          - {at: 10s, partition: {sides: [[1, 3], [3]]}}
          - {at: 11s, crash-dyno: {app: shop, dyno: web.1}, for: 5s}
          - {at: 12s, hang-dyno: {app: shop}}
          - {at: 13s, slow-dyno: {app: shop, dyno: api.1}}
          - {at: 4s, restart-all: shop}
          - {at: 70s, maintenance: shop}
          - {at: 14s, kil-node: 1}
        """);
    assertProblem(p, "faults[0]: expected one fault, one of kill-node");
    assertProblem(p, "faults[1]: expected one fault per entry, found kill-node and stop-node");
    assertProblem(p, "faults[2].kill-node: expected a whole number from 1 to 3 but found 4");
    assertProblem(p, "faults[4].partition: node 2 is gone by then (it left at 8s");
    assertProblem(p, "faults[5].partition.sides: node 3 is on both sides");
    assertProblem(p, "faults[6].for: a crash-dyno happens at once and has nothing to heal; drop 'for' (or use crash-loop, which lasts)");
    assertProblem(p, "faults[7].hang-dyno: expected either dyno (like web.3) or type");
    assertProblem(p, "faults[8].slow-dyno.dyno: app shop has no process type 'api'");
    assertProblem(p, "faults[8].slow-dyno.latency: missing; expected the added latency, like 500ms");
    assertProblem(p, "faults[9].at: faults are listed in the order they happen");
    assertProblem(p, "faults[10].at: the run lasts 1m; a fault at 70s would never happen");
    assertProblem(p, "faults[11].kil-node: unknown field; did you mean 'kill-node'?");
  }

  @Test
  void badLinkLatenciesAreRefusedWithWhatWasExpected() {
    List<String> p = problems(SHOP + """
        cluster: {nodes: 3}
        duration: 60s
        faults:
          - {at: 1s, link-latency: {sides: [[1], [2, 3]]}}
          - {at: 2s, link-latency: {sides: [[1], [1, 2]], latency: 100ms}}
          - {at: 3s, link-latency: {sides: [[1], [2, 4]], latency: 0s}}
          - {at: 4s, link-latency: {sides: [[1]], latency: 200ms, jitter: 300ms}}
          - {at: 5s, link-latency: {sides: [[1]], latency: 1m}}
          - {at: 6s, link-latency: {latency: 100ms, one-way: true}}
          - {at: 7s, link-latency: {sides: [[1]], latency: fast}}
          - {at: 8s, kill-node: 2}
          - {at: 9s, link-latency: {sides: [[2]], latency: 100ms}}
        """);
    assertProblem(p, "s.yaml:7:28: faults[0].link-latency.latency: missing; expected the delay added to each link between the sides, each way, like 200ms");
    assertProblem(p, "faults[1].link-latency.sides: node 1 is on both sides");
    assertProblem(p, "faults[2].link-latency.sides: expected a whole number from 1 to 3 but found 4");
    assertProblem(p, "faults[2].link-latency.latency: expected a duration above zero but found '0s'");
    assertProblem(p, "faults[3].link-latency.jitter: expected at most the latency (200ms): a link's delay never goes below 0");
    assertProblem(p, "faults[4].link-latency.latency: expected at most 30s but found '1m'");
    assertProblem(p, "faults[5].link-latency.sides: missing; expected the two sides, like [[1], [2, 3]]");
    assertProblem(p, "faults[5].link-latency.one-way: unknown field; expected one of sides, latency, jitter");
    assertProblem(p, "faults[6].link-latency.latency: expected a duration with a unit");
    assertProblem(p, "faults[8].link-latency: node 2 is gone by then (it left at 8s");
    assertEquals(10, p.size(), p::toString);
    assertProblem(problems(SHOP + "duration: 60s\nfaults: [{at: 1s, link-latency: {sides: [[1]], latency: 1s}}]\n"),
        "faults[0].link-latency.sides: expected two sides with at least one node each");
  }

  @Test
  void killingEveryNodeIsRefused() {
    List<String> p = problems(SHOP + """
        cluster: {nodes: 2}
        duration: 60s
        faults:
          - {at: 5s, kill-node: 1}
          - {at: 6s, stop-node: 2}
        """);
    assertProblem(p, "faults[1].stop-node: this leaves no node running");
  }

  @Test
  void faultsOnlyASyntheticAppCanPlayAreRefusedForRealProcesses(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("app"));
    Files.writeString(dir.resolve("app/Procfile"), "web: exec sleep 100\n");
    YamlException e = assertThrows(YamlException.class, () -> ScenarioParser.parse("""
        duration: 30s
        apps:
          real:
            procfile: app
            formation: {web: 2}
            service: {time: constant(10ms)}
        faults:
          - {at: 1s, crash-dyno: {app: real, dyno: web.1}}
          - {at: 2s, hang-dyno: {app: real, dyno: web.1}, for: 1s}
          - {at: 3s, error-dyno: {app: real, dyno: web.1, share: 10%}}
        """, "s.yaml", dir));
    List<String> p = e.getMessage().lines().toList();
    assertProblem(p, "apps.real.service: a service model is for synthetic apps");
    assertProblem(p, "faults[2].error-dyno: a error-dyno needs a synthetic app; real runs real processes");
    assertEquals(2, p.size(), p::toString);
  }

  @Test
  void aMissingProcfileDirectoryIsNamed(@TempDir Path dir) {
    YamlException e = assertThrows(YamlException.class, () -> ScenarioParser.parse("""
        duration: 30s
        apps:
          real: {procfile: nowhere, formation: {web: 1}}
        """, "s.yaml", dir));
    assertTrue(e.getMessage().contains("apps.real.procfile: expected a directory with a Procfile, but " + dir.resolve("nowhere") + " is not a directory"),
        e.getMessage());
  }

  @Test
  void badExpectationsAreRefused() {
    List<String> p = problems(SHOP + """
        duration: 60s
        faults:
          - {at: 5s, restart-all: shop}
        expect:
          - {metric: error-rate, below: 2%, above: 1%}
          - {metric: recovery-time, below: 5s}
          - {metric: responses, below: 5}
          - {metric: error-rate, code: H12, below: 5%}
          - {metric: p99-latency, from: 20s, to: 10s, below: 1s}
          - {metric: p99-latency, below: fast}
          - {metric: error-rate, during: fault, below: 1%}
          - {metric: lost-requests, fault: 2, below: 1}
          - {metric: responses, code: E12, below: 1}
        abort:
          - {metric: recovery-time, fault: 1, above: 10s}
        """);
    assertProblem(p, "expect[0]: expected one of below or above");
    assertProblem(p, "expect[1].fault: missing; expected the fault (1-based");
    assertProblem(p, "expect[2].code: missing; expected the H-code or HTTP status to count");
    assertProblem(p, "expect[3].code: code is for metric: responses");
    assertProblem(p, "expect[4].to: the window ends before it starts (from 20s)");
    assertProblem(p, "expect[5].below: expected a duration with a unit");
    assertProblem(p, "expect[6].fault: missing; expected the fault (1-based) during which");
    assertProblem(p, "expect[7].fault: expected a whole number from 1 to 1 but found 2");
    assertProblem(p, "expect[8].code: expected an H-code like H12 or an HTTP status like 503, but found 'E12'");
    assertProblem(p, "abort[0].metric: recovery-time is known only once the formation is whole again; it cannot stop a run");
  }

  @Test
  void loadBeyondWhatTheGeneratorCanSendIsRefused() {
    List<String> p = problems(SHOP + """
        load:
          - {app: shop, rate: 3000/s, duration: 10s}
          - {app: shop, rate: 3000/s, duration: 10s}
          - {app: shop, rate: 6000/s, duration: 10s}
          - {app: shop, arrivals: closed, users: 1000000, duration: 10s}
        """);
    assertProblem(p, "load[2].rate: expected at most 5000/s but found '6000/s'");
    assertProblem(p, "load: the loads together reach 6000/s; expected at most 5000/s");
    assertProblem(p, "load[3].users: expected a whole number from 1 to 2000");
  }

  @Test
  void anAppWithoutFormationAndAScenarioWithoutAppsAreRefused() {
    assertProblem(problems("duration: 10s\n"), "apps: missing; expected the apps to run");
    List<String> p = problems("""
        duration: 10s
        apps:
          Shop: {formation: {web: 1}}
          ok: {}
        """);
    assertProblem(p, "apps.Shop: expected an app name of 2 to 30 lower-case letters");
    assertProblem(p, "apps.ok.formation: missing; expected the process types and their quantities");
  }

  @Test
  void aSyntheticAppsConfigVarsAreCheckedAsItsDynosWouldReadThem() {
    List<String> p = problems("""
        duration: 10s
        apps:
          shop:
            formation: {web: 1}
            config: {SYNTHETIC_CONCURRENCY: two}
        """);
    assertProblem(p, "apps.shop.config: SYNTHETIC_CONCURRENCY=two: expected a whole number");
    Scenario s = parse("""
        duration: 10s
        apps:
          shop:
            formation: {web: 1}
            service: {time: "lognormal(median=40ms, p99=400ms)", concurrency: 4, errors: 1%, boot: 2s, memory: {start: 100MB, per-request: 1KB}}
        """);
    io.manifold.sim.live.SyntheticConfig.parse(s.apps().get("shop").configVars());
    assertEquals("4", s.apps().get("shop").configVars().get("SYNTHETIC_CONCURRENCY"));
  }

  @Test
  void theSyntheticServiceIsCheckedUpFront() {
    List<String> p = problems("""
        duration: 10s
        apps:
          shop:
            formation: {web: 1}
            service: {time: lognormal(median=40ms), errors: 120%, concurrency: 0, boot: soon, memory: {start: lots}}
        """);
    assertProblem(p, "apps.shop.service.time:");
    assertProblem(p, "apps.shop.service.errors: expected a share from 0% to 100%");
    assertProblem(p, "apps.shop.service.concurrency: expected a whole number from 1 to 10000 but found 0");
    assertProblem(p, "apps.shop.service.boot:");
    assertProblem(p, "apps.shop.service.memory.start: expected a size like 512MB");
  }
}
