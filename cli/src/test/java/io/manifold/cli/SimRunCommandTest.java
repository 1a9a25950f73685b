package io.manifold.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code manifold sim run}: a study's table and files, or exit 2 with file:line:column for bad input. */
class SimRunCommandTest {

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

  @Test
  void aStudyPrintsItsTableAndWritesItsFiles(@TempDir Path dir) throws Exception {
    Path study = dir.resolve("s.yaml");
    Files.writeString(study, "name: small\nreplications: 2\nduration: 20s\nwarmup: 2s\n"
        + "app: {dynos: 3, service: exponential(mean=10ms)}\nload: {rho: 0.5}\ncompare: {policy: [random, round-robin]}\n");
    Run r = run("sim", "run", study.toString(), "--out", dir.resolve("out").toString(), "--seed", "3");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("policy") && r.out().contains("round-robin"), r.out());
    assertTrue(r.err().contains("small: 2 cell(s) x 2 replication(s)") && r.err().contains("seed 3"), r.err());
    assertTrue(Files.exists(dir.resolve("out/results.csv")));
    assertTrue(Files.exists(dir.resolve("out/report.html")));
  }

  @Test
  void aBadStudyExitsWith2AndNamesFileLineAndColumn(@TempDir Path dir) throws Exception {
    Path study = dir.resolve("bad.yaml");
    Files.writeString(study, "duration: 20s\napp: {dynos: 3, service: exponential(mean=10ms)}\nload: {rho: 0.5}\nrouter: {polcy: random}\n");
    Run r = run("sim", "run", study.toString());
    assertEquals(2, r.status(), r.err());
    assertEquals("manifold: " + study + ":4:10: router.polcy: unknown field; did you mean 'policy'?", r.err().strip());
  }

  @Test
  void aMissingFileOrABadFlagExitsWith2(@TempDir Path dir) {
    Run missing = run("sim", "run", dir.resolve("none.yaml").toString());
    assertEquals(2, missing.status());
    assertTrue(missing.err().contains("none.yaml: no such study file"), missing.err());
    Path study = dir.resolve("s.yaml");
    Run flag = run("sim", "run", study.toString(), "--seed", "abc");
    assertEquals(2, flag.status());
  }

  @Test
  void simWithoutASubcommandShowsItsUsage() {
    Run r = run("sim");
    assertEquals(0, r.status());
    assertTrue(r.out().contains("run"), r.out());
  }
}
