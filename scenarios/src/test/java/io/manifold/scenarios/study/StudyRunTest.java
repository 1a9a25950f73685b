package io.manifold.scenarios.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.sim.run.Experiment;
import io.manifold.sim.stats.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A study from file to results: files written, and the same bytes for the same seed. */
class StudyRunTest {
  static final String STUDY = """
      name: tiny
      seed: 5
      replications: 3
      warmup: 5s
      duration: 30s
      app:
        dynos: 4
        service: exponential(mean=20ms)
      load:
        arrivals: poisson
      compare:
        policy: [random, least-connections]
        rho: [0.5, 0.8]
      output:
        trace: true
        trace-limit: 200
      """;

  private static List<Path> runInto(Path study, Path out) {
    return StudyRunner.runInto(StudyParser.parse(study), study.getParent(), out, new Experiment.Progress() {}).files();
  }

  @Test
  void aStudyWritesItsFilesAndTheSameSeedGivesTheSameBytes(@TempDir Path dir) throws Exception {
    Path study = dir.resolve("tiny.yaml");
    Files.writeString(study, STUDY);
    List<Path> first = runInto(study, dir.resolve("a"));
    List<Path> second = runInto(study, dir.resolve("b"));
    assertEquals(List.of("results.csv", "summary.csv", "trace.csv", "report.html"),
        first.stream().map(p -> p.getFileName().toString()).toList());
    for (int i = 0; i < first.size(); i++) {
      assertArrayEquals(Files.readAllBytes(first.get(i)), Files.readAllBytes(second.get(i)), first.get(i).getFileName() + " differs");
    }
    List<String> results = Files.readAllLines(first.get(0));
    assertEquals(1 + 4 * 3, results.size(), "a row per cell and replication");
    assertTrue(results.get(0).startsWith("cell,policy,rho,replication,seed,requests,errors,unanswered,response_mean_ms,"), results.get(0));
    List<String> trace = Files.readAllLines(first.get(2));
    assertEquals("cell,policy,rho,replication,request,arrival_ms,router,dyno,queue_ms,service_ms,response_ms,status,code", trace.get(0));
    assertEquals(1 + 4 * 3 * 200, trace.size());
    String html = Files.readString(first.get(3));
    assertTrue(html.contains("<svg") && html.contains("Against rho"), "CDFs and charts against the load");
    assertFalse(html.contains("http://") && html.replace("http://www.w3.org/2000/svg", "").contains("http://"), "nothing fetched");
  }

  @Test
  void anotherSeedGivesOtherNumbersAndLeastConnectionsWins(@TempDir Path dir) throws Exception {
    Path study = dir.resolve("tiny.yaml");
    Files.writeString(study, STUDY.replace("trace: true", "trace: false"));
    StudyResult a = StudyRunner.run(StudyParser.parse(study), dir, new Experiment.Progress() {});
    StudyResult b = StudyRunner.run(StudyParser.parse(study).withSeed(6), dir, new Experiment.Progress() {});
    double randomA = a.cells().get(1).get(Metric.RESPONSE_MEAN).mean();
    double randomB = b.cells().get(1).get(Metric.RESPONSE_MEAN).mean();
    assertTrue(randomA != randomB);
    // at rho 0.8: random (cell 2) waits far longer than least-connections (cell 4)
    assertTrue(a.cells().get(1).get(Metric.RESPONSE_MEAN).mean() > 1.5 * a.cells().get(3).get(Metric.RESPONSE_MEAN).mean());
    assertEquals(0, a.unanswered());
  }

  @Test
  void aTraceOfOneRunCanBeReplayed(@TempDir Path dir) throws Exception {
    Path study = dir.resolve("tiny.yaml");
    Files.writeString(study, STUDY);
    runInto(study, dir.resolve("a"));
    // the first run's rows, as a trace of its own
    List<String> rows = Files.readAllLines(dir.resolve("a/trace.csv"));
    List<String> firstRun = rows.stream().filter(r -> r.startsWith("1,random,0.5,1,")).toList();
    Files.write(dir.resolve("one.csv"), java.util.stream.Stream.concat(java.util.stream.Stream.of(rows.get(0)), firstRun.stream()).toList());
    Path replay = dir.resolve("replay.yaml");
    Files.writeString(replay, "duration: 10s\nwarmup: 0s\nreplications: 1\napp: {dynos: 4, service: exponential(mean=20ms)}\n"
        + "load: {arrivals: replay, file: one.csv}\n");
    StudyResult r = StudyRunner.run(StudyParser.parse(replay), dir, new Experiment.Progress() {});
    assertEquals(firstRun.stream().filter(x -> Double.parseDouble(x.split(",")[5]) < 10_000).count(), r.cells().get(0).requests());
  }
}
