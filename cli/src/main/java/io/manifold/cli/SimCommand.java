package io.manifold.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code manifold sim}: routing studies on simulated dynos. */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    description = "Routing studies on synthetic dynos, in virtual time: the same Dyno and Router actors and routing policies"
        + " as live traffic, with the app replaced by service-time distributions.",
    subcommands = {SimRunCommand.class, CommandLine.HelpCommand.class})
final class SimCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
