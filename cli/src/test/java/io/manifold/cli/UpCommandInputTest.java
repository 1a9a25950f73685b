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

/**
 * Bad input to {@code manifold up} is refused before anything starts, with one line that names the
 * place and what was expected, and exit status 1 (a usage error, as the heroku CLI has it).
 */
class UpCommandInputTest {

  record Run(int status, String err) {}

  private static Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));
    int status = cli.execute(args);
    return new Run(status, err.toString());
  }

  private static Path app(Path dir, String procfile) throws Exception {
    Path app = Files.createDirectories(dir.resolve("shop"));
    Files.writeString(app.resolve("Procfile"), procfile);
    return app;
  }

  @Test
  void helpListsTheCommands() {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    assertEquals(0, cli.execute("--help"));
    assertTrue(out.toString().contains("up "), out.toString());
  }

  @Test
  void aBadProcfileLineIsReportedWithFileAndLine(@TempDir Path dir) throws Exception {
    Path app = app(dir, "web: ok\nworker\n");
    Run r = run("up", app.toString(), "--port", "0");
    assertEquals(1, r.status(), r.err());
    assertTrue(r.err().startsWith("manifold: " + app.resolve("Procfile") + ":2: expected '<process type>: <command>'"), r.err());
  }

  @Test
  void aMissingDirectoryOrProcfileIsReported(@TempDir Path dir) {
    Run missing = run("up", dir.resolve("nope").toString());
    assertEquals(1, missing.status());
    assertTrue(missing.err().contains("nope: expected a directory with a Procfile"), missing.err());
    Run noProcfile = run("up", dir.toString());
    assertEquals(1, noProcfile.status());
    assertTrue(noProcfile.err().contains("Procfile: no Procfile here"), noProcfile.err());
  }

  @Test
  void aFormationForAnUnknownTypeIsReportedWithTheKnownOnes(@TempDir Path dir) throws Exception {
    Path app = app(dir, "web: a\nworker: b\n");
    Run r = run("up", app.toString(), "--formation", "web=1,clock=2");
    assertEquals(1, r.status());
    assertTrue(r.err().contains("--formation: no process type 'clock'") && r.err().contains("expected one of web, worker"), r.err());
    Run malformed = run("up", app.toString(), "--formation", "web:1");
    assertTrue(malformed.err().contains("--formation: expected <process type>=<quantity>"), malformed.err());
    Run tooMany = run("up", app.toString(), "--formation", "web=101");
    assertTrue(tooMany.err().contains("at most 100"), tooMany.err());
  }

  @Test
  void anUnknownPolicyABadPortAndABadDurationAreReported(@TempDir Path dir) throws Exception {
    Path app = app(dir, "web: a\n");
    Run policy = run("up", app.toString(), "--policy", "fastest");
    assertEquals(1, policy.status());
    assertTrue(policy.err().contains("--policy: expected one of random, round-robin, least-connections, power-of-two but found 'fastest'"), policy.err());
    Run port = run("up", app.toString(), "--port", "70000");
    assertTrue(port.err().contains("--port: expected a port from 0 to 65535"), port.err());
    Run grace = run("up", app.toString(), "--stop-grace", "soon");
    assertEquals(1, grace.status());
    assertTrue(grace.err().contains("expected a duration such as 30s"), grace.err());
  }

  @Test
  void aBadEnvFileIsReportedWithFileAndLine(@TempDir Path dir) throws Exception {
    Path app = app(dir, "web: a\n");
    Files.writeString(app.resolve(".env"), "GOOD=1\nnot an assignment\n");
    Run r = run("up", app.toString());
    assertEquals(1, r.status());
    assertTrue(r.err().contains(app.resolve(".env") + ":2: expected KEY=value"), r.err());
  }

  @Test
  void aDirectoryThatMakesNoAppNameAsksForOne(@TempDir Path dir) throws Exception {
    Path app = Files.createDirectories(dir.resolve("9"));
    Files.writeString(app.resolve("Procfile"), "web: a\n");
    Run r = run("up", app.toString());
    assertEquals(1, r.status());
    assertTrue(r.err().contains("give one with --app NAME"), r.err());
    Run badName = run("up", app.toString(), "--app", "Bad_Name");
    assertTrue(badName.err().contains("--app: expected an app name"), badName.err());
  }
}
