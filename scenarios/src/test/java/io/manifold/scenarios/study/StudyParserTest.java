package io.manifold.scenarios.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.scenarios.yaml.YamlException;
import io.manifold.sim.dist.Distribution;
import io.manifold.sim.route.FrontSettings;
import io.manifold.sim.run.Cell;
import io.manifold.sim.run.SimSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyParserTest {

  private static Study parse(String yaml) {
    return StudyParser.parse(yaml, "s.yaml", null);
  }

  private static List<String> problems(String yaml) {
    return assertThrows(YamlException.class, () -> parse(yaml)).getMessage().lines().toList();
  }

  @Test
  void aFullStudyIsReadWithEveryField() {
    Study s = parse("""
        name: full
        description: every field
        seed: 7
        replications: 3
        warmup: 5s
        duration: 60s
        time: real
        app:
          dynos: 12
          concurrency: 2
          service: lognormal(median=40ms, p99=400ms)
          boot: uniform(min=1s, max=2s)
          errors: 2%
          backlog: 50
          memory: {start: 256MB, per-request: 64KB, limit: 1GB}
        router:
          policy: power-of-two
          nodes: 3
          queue: router
          timeout: 10s
        load:
          arrivals: constant
          rho: 0.6
        compare:
          policy: [random, least-connections]
          router-nodes: [1, 4]
        output:
          trace: true
          trace-limit: 500
        """);
    assertEquals("full", s.name());
    assertEquals(7, s.seed());
    assertEquals(Duration.ofSeconds(5), s.warmup());
    assertEquals(SimSystem.Time.REAL, s.time());
    assertEquals(12, s.app().dynos());
    assertEquals(0.02, s.app().errorRate(), 1e-12);
    assertEquals(1L << 30, s.app().memory().killBytes());
    assertEquals(FrontSettings.Queue.ROUTER, s.router().queue());
    Study.Open open = assertInstanceOf(Study.Open.class, s.load());
    assertTrue(open.level().rho());
    assertEquals(500, s.output().traceLimit());

    List<Cell> cells = StudyCells.cells(s, null);
    assertEquals(4, cells.size());
    assertEquals(Map.of("policy", "random", "router-nodes", "1"), cells.get(0).params());
    assertEquals(Map.of("policy", "random", "router-nodes", "4"), cells.get(1).params());
    assertEquals("least-connections", cells.get(2).spec().policy());
    assertEquals(4, cells.get(3).spec().routerNodes());
    assertEquals(2, cells.get(0).spec().front().dynoConcurrency());
  }

  @Test
  void defaultsFillWhatIsLeftOut() {
    Study s = parse("duration: 100s\napp: {dynos: 3, service: 50ms}\nload: {rate: 10/s}\n");
    assertEquals("s", s.name());
    assertEquals(1, s.seed());
    assertEquals(5, s.replications());
    assertEquals(Duration.ofSeconds(10), s.warmup(), "a tenth of the duration");
    assertEquals(SimSystem.Time.VIRTUAL, s.time());
    assertEquals("random", s.router().policy());
    assertEquals(Duration.ofSeconds(30), s.router().timeout());
    assertEquals(new Distribution.Constant(50e6), s.app().service());
    assertEquals(1, StudyCells.cells(s, null).size());
  }

  @Test
  void rhoBecomesARatePerCellFromItsDynosConcurrencyAndMeanServiceTime() {
    Study s = parse("duration: 100s\napp: {service: exponential(mean=50ms), concurrency: 2}\nload: {rho: 0.5}\ncompare: {dynos: [10, 20]}\n");
    List<Cell> cells = StudyCells.cells(s, null);
    // rho 0.5 of 10 dynos x 2 slots at 20 requests/s each = 200/s; of 20 dynos, 400/s
    assertEquals("poisson at 200/s", cells.get(0).spec().load().get().describe());
    assertEquals("poisson at 400/s", cells.get(1).spec().load().get().describe());
  }

  @Test
  void everyProblemOfAFileIsReportedAtOnceWithItsPlace() {
    List<String> p = problems("""
        name: bad
        replications: 0
        duraton: 60s
        app:
          dynos: many
          service: weibull(shape=0.46)
        router:
          policy: least-connection
        load:
          arrivals: poisson
          rate: fast
        compare:
          polcy: [random]
        """);
    assertEquals(List.of(
        "s.yaml:2:15: replications: expected a whole number from 1 to 1000 but found 0",
        "s.yaml:1:1: duration: missing; expected how long each run is measured, like 600s",
        "s.yaml:13:3: compare.polcy: cannot compare 'polcy'; did you mean 'policy'?",
        "s.yaml:5:10: app.dynos: expected a whole number but found 'many'",
        "s.yaml:6:12: app.service: 'weibull(shape=0.46)' needs median=",
        "s.yaml:8:11: router.policy: expected one of random, round-robin, least-connections, power-of-two but found 'least-connection'; did you mean 'least-connections'?",
        "s.yaml:11:9: load.rate: expected a rate like 150/s or 9000/min, but found 'fast'",
        "s.yaml:3:1: duraton: unknown field; did you mean 'duration'?"), p);
  }

  @Test
  void conflictingOrMissingLoadsAreRefused() {
    assertTrue(problems("duration: 1s\napp: {dynos: 1, service: 1ms}\nload: {rate: 1/s, rho: 0.5}\n").get(0)
        .endsWith("load: expected one of rate, rho or profile, not several"));
    assertTrue(problems("duration: 1s\napp: {dynos: 1, service: 1ms}\nload: {arrivals: poisson}\n").get(0)
        .contains("expected an arrival rate: rate (like 150/s), rho"));
    assertTrue(problems("duration: 1s\napp: {dynos: 1, service: 1ms}\nload: {rho: 0.5}\ncompare: {rate: [1/s], rho: [0.2]}\n").get(0)
        .contains("compare either rate or rho, not both"));
    assertTrue(problems("duration: 1s\napp: {dynos: 1, service: 1ms}\nload: {arrivals: closed, users: 3}\n").get(0)
        .endsWith("load.think: missing; expected the users' think time, like exponential(mean=1s)"));
    assertTrue(problems("duration: 1s\napp: {dynos: 1, service: 1ms}\nload: {arrivals: closed, users: 3, think: 1s}\ncompare: {rho: [0.5]}\n").get(0)
        .contains("rate and rho apply to open-loop arrivals"));
    assertTrue(problems("duration: 1s\napp: {dynos: 1, service: 1ms}\nload: {arrivals: replay, file: nope.csv}\n").get(0)
        .contains("load.file: nope.csv: no such file"));
    assertTrue(problems("duration: 1s\napp: {dynos: 1, service: 1ms}\nload: {profile: [{for: 10s}]}\n").get(0)
        .contains("expected exactly one of rate (like 100/s or 100/s..300/s) or rho"));
    assertTrue(problems("duration: 1s\napp: {dynos: 1, service: 1ms}\nload: {rate: 1/s}\ncompare: {dynos: [1, 1]}\n").get(0)
        .contains("'1' is listed twice"));
    assertTrue(problems("duration: 1s\napp: {dynos: 1, service: 1ms}\nload: {rate: 1/s}\ncompare: {dynos: []}\n").get(0)
        .contains("expected a list of values to compare"));
  }

  @Test
  void anUnquotedDistributionInAFlowMapIsExplained() {
    List<String> p = problems("duration: 1s\napp: {dynos: 1, service: weibull(shape=0.46, median=50ms)}\nload: {rate: 1/s}\n");
    assertTrue(p.get(0).startsWith("s.yaml:2:26: app.service: 'weibull(shape=0.46' ends before its ')'"), p.get(0));
    assertTrue(p.get(0).contains("write the distribution in quotes"), p.get(0));
  }

  @Test
  void aProfileMixesStepsAndRamps() {
    Study s = parse("duration: 100s\napp: {dynos: 10, service: exponential(mean=50ms)}\n"
        + "load: {profile: [{for: 30s, rate: 100/s}, {for: 30s, rate: 100/s..300/s}, {for: 40s, rho: 0.9}]}\n");
    assertEquals("poisson at 30s at 100/s, 30s at 100/s->300/s, 1m40s at 180/s".replace("1m40s", "40s"),
        StudyCells.cells(s, null).get(0).spec().load().get().describe());
  }

  @Test
  void everyStudyOfTheLibraryIsValid() throws Exception {
    Path library = Path.of(System.getProperty("manifold.repo", "..")).resolve("scenarios/library/studies");
    List<Path> files;
    try (Stream<Path> s = Files.list(library)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(files.size() >= 3, "library: " + files);
    for (Path f : files) {
      Study study = StudyParser.parse(f);
      assertTrue(StudyCells.cells(study, f.getParent()).size() >= 1, f.toString());
    }
  }

  @Test
  void aMissingFileOrNotYamlIsReported(@TempDir Path dir) throws Exception {
    assertTrue(assertThrows(YamlException.class, () -> StudyParser.parse(dir.resolve("none.yaml"))).getMessage()
        .endsWith("none.yaml:1:1: no such file"));
    Files.writeString(dir.resolve("x.yaml"), "duration: [1s\n");
    assertTrue(assertThrows(YamlException.class, () -> StudyParser.parse(dir.resolve("x.yaml"))).getMessage()
        .contains("not valid YAML"));
  }
}
