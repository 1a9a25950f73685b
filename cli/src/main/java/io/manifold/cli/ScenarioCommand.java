package io.manifold.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code manifold scenario}: chaos scenarios from YAML. */
@Command(
    name = "scenario",
    mixinStandardHelpOptions = true,
    description = "Chaos scenarios: a manifold of several nodes in this JVM, apps on it, load through its routers,"
        + " faults on a timeline (node loss, partitions, crashing, hanging or slow dynos, deploys, ...) and expectations"
        + " with a verdict. Exit status 0: every expectation met; 1: one was not (or an abort condition held);"
        + " 2: the scenario is invalid or the run could not complete.",
    subcommands = {ScenarioRunCommand.class, ScenarioValidateCommand.class, CommandLine.HelpCommand.class})
final class ScenarioCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
