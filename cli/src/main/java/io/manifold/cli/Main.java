package io.manifold.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code manifold}: an emulator and simulator of the Heroku runtime. */
@Command(
    name = "manifold",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {"An emulator and simulator of the Heroku runtime: dynos from a Procfile, Heroku's router and Logplex.",
        "The heroku CLI's verbs (apps, ps, config, releases, logs, ...) work on the manifold that `manifold up` started,"
            + " or on the one --api names."},
    subcommands = {
      UpCommand.class, NodeCommand.class, StoreCommand.class, EnvCommand.class, SimCommand.class, ScenarioCommand.class,
      AppsCommands.Index.class, AppsCommands.Create.class, AppsCommands.Info.class, AppsCommands.Destroy.class,
      DeployCommand.class,
      PsCommands.Index.class, PsCommands.Scale.class, PsCommands.Restart.class, PsCommands.Stop.class,
      RunDetachedCommand.class,
      ConfigCommands.Index.class, ConfigCommands.Get.class, ConfigCommands.Set.class, ConfigCommands.Unset.class,
      ReleasesCommands.Index.class, ReleasesCommands.Rollback.class,
      LogsCommand.class,
      MaintenanceCommands.Index.class, MaintenanceCommands.On.class, MaintenanceCommands.Off.class,
      DrainsCommands.Index.class, DrainsCommands.Add.class, DrainsCommands.Remove.class,
      CommandLine.HelpCommand.class})
public final class Main {

  public static void main(String[] args) {
    // SLF4J's own notes (such as replaying calls made while it started) are not the user's business
    System.setProperty("slf4j.internal.verbosity", "ERROR");
    CommandLine cli = commandLine();
    // the heroku CLI's output is UTF-8 (⬢ app), whatever the platform's default
    cli.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
    cli.setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
    System.exit(cli.execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(new Errors());
    exitOneOnBadFlags(cli);
    // the command's own flags (run:detached ls -la) are not manifold's
    cli.getSubcommands().get("run:detached").setStopAtPositional(true);
    return cli;
  }

  /** A bad flag is a usage error: exit 1, as the heroku CLI (picocli's default is 2). */
  private static void exitOneOnBadFlags(CommandLine cli) {
    cli.getCommandSpec().exitCodeOnInvalidInput(cli.getCommand() instanceof InvalidInputExitsTwo ? 2 : Errors.BAD_INPUT);
    cli.getSubcommands().values().forEach(Main::exitOneOnBadFlags);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"manifold " + (v == null ? "(development build)" : v)};
    }
  }
}
