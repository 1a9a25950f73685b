package io.manifold.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code manifold scenario}: the CI contract. Exit 0 when every expectation is met, 1 when one is
 * not, 2 when the file is invalid or the run could not complete; the reports in --out; every
 * library scenario valid.
 */
class ScenarioCommandTest {

  record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int status = cli.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  private static final String SMALL = """
      name: small
      duration: 3s
      apps:
        shop:
          formation: {web: 2}
          service: {time: "constant(5ms)", concurrency: 4}
      load:
        - {app: shop, rate: 20/s}
      expect:
        - {metric: lost-requests, below: 1}
        - {metric: error-rate, below: %s}
      """;

  @Tag("scenario")
  @Test
  void aPassingRunExits0AndAFailingOne1WithTheirReports(@TempDir Path dir) throws Exception {
    Path good = dir.resolve("good.yaml");
    Files.writeString(good, SMALL.formatted("1%"));
    Run passed = run("scenario", "run", good.toString(), "--out", dir.resolve("out-good").toString());
    assertEquals(0, passed.status(), passed.out() + passed.err());
    assertTrue(passed.out().contains("small: PASSED (2 of 2 expectations met)"), passed.out());
    assertTrue(passed.err().contains("Load starts (t = 0)"), "progress on stderr: " + passed.err());
    for (String f : new String[] {"report.json", "report.html", "junit.xml"}) {
      assertTrue(Files.isRegularFile(dir.resolve("out-good").resolve(f)), f);
    }
    assertTrue(Files.notExists(dir.resolve("out-good/live.json")), "no live view left once the run is over");

    Path bad = dir.resolve("bad.yaml");
    // no error rate is below 0%: this run cannot pass
    Files.writeString(bad, SMALL.formatted("0%"));
    Run failed = run("scenario", "run", bad.toString(), "--out", dir.resolve("out-bad").toString(), "--quiet");
    assertEquals(1, failed.status(), failed.out() + failed.err());
    assertTrue(failed.out().contains("FAIL  error-rate over the whole run below 0%"), failed.out());
    assertEquals("", failed.err().strip(), "--quiet: no progress");
    String junit = Files.readString(dir.resolve("out-bad/junit.xml"));
    assertTrue(junit.contains("failures=\"1\""), junit);
  }

  @Test
  void anInvalidScenarioExits2WithEveryProblemPlaced(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "duration: 10s\napps: {shop: {formation: {web: 2}}}\nfaults:\n  - {at: 1s, kil-node: 1}\n");
    Run run = run("scenario", "run", bad.toString());
    assertEquals(2, run.status(), run.err());
    assertTrue(run.err().contains(bad + ":4:14: faults[0].kil-node: unknown field; did you mean 'kill-node'?"), run.err());
    Run validate = run("scenario", "validate", bad.toString());
    assertEquals(2, validate.status());
    assertTrue(validate.err().contains("did you mean 'kill-node'?"), validate.err());
    Run missing = run("scenario", "run", dir.resolve("none.yaml").toString());
    assertEquals(2, missing.status());
    assertTrue(missing.err().contains("none.yaml: no such scenario file"), missing.err());
    assertEquals(2, run("scenario", "run", bad.toString(), "--seed", "abc").status(), "a bad flag");
  }

  @Test
  void everyScenarioOfTheLibraryIsValid() throws Exception {
    Path library = Path.of(System.getProperty("manifold.repo", "..")).resolve("scenarios/library");
    String[] files;
    try (Stream<Path> s = Files.list(library)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().map(Path::toString).toArray(String[]::new);
    }
    assertTrue(files.length >= 8, "the library's scenarios: " + String.join(", ", files));
    String[] args = new String[files.length + 2];
    args[0] = "scenario";
    args[1] = "validate";
    System.arraycopy(files, 0, args, 2, files.length);
    Run run = run(args);
    assertEquals(0, run.status(), run.err());
    assertEquals(files.length, run.out().lines().filter(l -> l.contains(": valid (")).count(), run.out());
  }
}
