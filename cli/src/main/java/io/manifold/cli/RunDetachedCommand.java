package io.manifold.cli;

import static io.manifold.cli.PlatformClient.href;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.manifold.core.InputException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code run:detached}: a one-off dyno whose output goes to the app's log. */
@Command(name = "run:detached", mixinStandardHelpOptions = true,
    description = {"Runs a command in a one-off dyno (run.N); its output goes to the app's log.",
        "Everything after the first argument is the command's, so its own flags need no --."})
final class RunDetachedCommand extends PlatformCommand.ForApp {
  @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments, run with /bin/sh -c.")
  List<String> command;

  @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE;...", description = "Environment variables for the dyno, ';' between them.")
  String env;

  @Option(names = {"-t", "--tail"}, description = "Stream the dyno's log lines until Ctrl-C.")
  boolean tail;

  @Override
  public Integer call() {
    ObjectNode body = PlatformClient.object().put("attach", false).put("command", shellCommand(command));
    ObjectNode vars = body.putObject("env");
    if (env != null) {
      for (String assignment : env.split(";")) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
          throw new InputException("--env", "expected KEY=VALUE pairs separated by ';', but found '" + assignment + "'");
        }
        vars.put(assignment.substring(0, eq).strip(), assignment.substring(eq + 1));
      }
    }
    PlatformClient heroku = api.client();
    String app = app(heroku);
    JsonNode dyno;
    try (Action a = action("Running " + body.get("command").asText() + " on " + Styled.app(app))) {
      dyno = heroku.post(href("apps", app, "dynos"), body);
      a.done("done, " + dyno.path("name").asText());
    }
    String name = dyno.path("name").asText();
    if (tail) {
      try (LogStream s = LogsCommand.open(heroku, app, PlatformClient.object().put("dyno", name).put("lines", 100).put("tail", true))) {
        s.read(LogColours.printer(out(), LogColours.wanted(false)));
      }
      return 0;
    }
    out().println("Run manifold logs --app " + app + " --dyno " + name + " to view the output.");
    return 0;
  }

  /** One argument as it is (it may be a whole shell line); several joined, those with spaces or quotes quoted, as the heroku CLI does. */
  static String shellCommand(List<String> args) {
    if (args.size() == 1) {
      return args.get(0);
    }
    StringBuilder cmd = new StringBuilder();
    for (String arg : args) {
      String a = arg.contains(" ") || arg.contains("\"") ? "\"" + arg.replace("\"", "\\\"") + "\"" : arg;
      cmd.append(cmd.length() == 0 ? "" : " ").append(a);
    }
    return cmd.toString();
  }
}
