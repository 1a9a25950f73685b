package io.manifold.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code manifold}: an emulator and simulator of the Heroku runtime. */
@Command(
    name = "manifold",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "An emulator and simulator of the Heroku runtime: dynos from a Procfile, Heroku's router and Logplex.",
    subcommands = {UpCommand.class, SimCommand.class, CommandLine.HelpCommand.class})
public final class Main {

  public static void main(String[] args) {
    // SLF4J's own notes (such as replaying calls made while it started) are not the user's business
    System.setProperty("slf4j.internal.verbosity", "ERROR");
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(new Errors());
    return cli;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"manifold " + (v == null ? "(development build)" : v)};
    }
  }
}
