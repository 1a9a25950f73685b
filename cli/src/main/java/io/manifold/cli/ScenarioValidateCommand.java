package io.manifold.cli;

import io.manifold.scenarios.Scenarios;
import io.manifold.scenarios.chaos.Scenario;
import io.manifold.scenarios.yaml.YamlException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Checks scenario files without running them. Every problem is printed as file:line:column: field: what was"
          + " expected (unknown fields get a \"did you mean\"). Exit status 0 when every file is valid, 2 otherwise."
    })
final class ScenarioValidateCommand implements Callable<Integer>, InvalidInputExitsTwo {

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Scenario files, in YAML.")
  List<Path> files;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int invalid = 0;
    for (Path file : files) {
      try {
        Scenario s = Scenarios.validate(file);
        out.printf("%s: valid (%s: %d node%s, %d app%s, %d load%s, %d fault%s, %d expectation%s, runs %s)%n", file, s.name(),
            s.nodes(), plural(s.nodes()), s.apps().size(), plural(s.apps().size()), s.load().size(), plural(s.load().size()),
            s.faults().size(), plural(s.faults().size()), s.expectations().size(), plural(s.expectations().size()),
            io.manifold.scenarios.chaos.ScenarioText.duration(s.duration()));
      } catch (YamlException e) {
        invalid++;
        e.problems().forEach(p -> err.println(p));
      }
    }
    out.flush();
    err.flush();
    return invalid == 0 ? 0 : 2;
  }

  private static String plural(int n) {
    return n == 1 ? "" : "s";
  }
}
