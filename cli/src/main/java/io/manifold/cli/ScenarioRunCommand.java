package io.manifold.cli;

import io.manifold.core.InputException;
import io.manifold.scenarios.chaos.Scenario;
import io.manifold.scenarios.chaos.ScenarioParser;
import io.manifold.scenarios.chaos.ScenarioResult;
import io.manifold.scenarios.chaos.ScenarioText;
import io.manifold.scenarios.ScenarioRun;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a chaos scenario: starts its manifold in this JVM, its apps and load, fires its faults, and judges its"
          + " expectations. Progress goes to stderr; the verdicts to stdout; report.json, report.html and junit.xml"
          + " to --out.",
      "",
      "Exit status 0: every expectation met; 1: one was not, or an abort condition held; 2: the scenario is invalid"
          + " or the run could not complete. Ctrl-C stops the run, heals every fault and stops every dyno.",
      "",
      "Examples: scenarios/library/node-loss-under-load.yaml"
    })
final class ScenarioRunCommand implements Callable<Integer>, InvalidInputExitsTwo {

  @Parameters(paramLabel = "FILE", description = "The scenario, in YAML.")
  Path file;

  @Option(names = {"-o", "--out"}, paramLabel = "DIR",
      description = "Where the reports go (default: scenario-results/<scenario name>).")
  Path out;

  @Option(names = "--seed", paramLabel = "N", description = "Overrides the scenario's seed.")
  Long seed;

  @Option(names = {"-q", "--quiet"}, description = "No progress lines.")
  boolean quiet;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (!Files.isRegularFile(file)) {
      throw new InputException(file.toString(), "no such scenario file");
    }
    Scenario scenario = ScenarioParser.parse(file);
    if (seed != null) {
      scenario = scenario.withSeed(seed);
    }
    Path dir = out != null ? out : Path.of("scenario-results", scenario.name());
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    if (!quiet) {
      err.printf(Locale.ROOT, "%s: %s%n", scenario.name(), scenario.description().isBlank() ? "(no description)" : scenario.description());
      err.printf(Locale.ROOT, "seed %d, %s, %d fault(s), %d expectation(s)%n", scenario.seed(),
          ScenarioText.duration(scenario.duration()), scenario.faults().size(), scenario.expectations().size());
      err.flush();
    }
    ScenarioRun runner = new ScenarioRun(scenario, dir, line -> {
      if (!quiet) {
        err.println(line);
        err.flush();
      }
    });
    // Ctrl-C: the run stops, heals its faults and stops its dynos before the JVM goes
    Thread hook = new Thread(runner::cancel, "scenario-cancel");
    Runtime.getRuntime().addShutdownHook(hook);
    ScenarioResult result;
    try {
      result = runner.run();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it waits for this run to end
      }
    }
    ScenarioSummary.print(result, stdout);
    stdout.println("Reports: " + String.join(", ", runner.written().stream().map(Path::toString).toList()));
    stdout.flush();
    return result.exitCode();
  }
}
