package io.manifold.cli;

import static io.manifold.cli.PlatformClient.href;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.manifold.core.InputException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ps}, {@code ps:scale}, {@code ps:restart}, {@code ps:stop}. */
final class PsCommands {
  private PsCommands() {}

  @Command(name = "ps", mixinStandardHelpOptions = true,
      description = "Lists an app's dynos, grouped by command, with their state, since when, and the node each runs on.")
  static final class Index extends PlatformCommand.ForApp {
    @Parameters(arity = "0..*", paramLabel = "TYPE", description = "Only these process types.")
    List<String> types = new ArrayList<>();

    @Option(names = {"-j", "--json"}, description = "The API's JSON.")
    boolean json;

    @Override
    public Integer call() {
      PlatformClient heroku = api.client();
      String app = app(heroku);
      List<JsonNode> dynos = heroku.list(href("apps", app, "dynos")).stream()
          .filter(d -> types.isEmpty() || types.contains(d.path("type").asText()))
          .sorted(Comparator.comparing(d -> d.path("name").asText()))
          .toList();
      for (String type : types) {
        if (dynos.stream().noneMatch(d -> d.path("type").asText().equals(type))) {
          throw new InputException("TYPE", "No " + type + " dynos on " + Styled.app(app));
        }
      }
      if (json) {
        Styled.json(out(), PlatformClient.JSON.valueToTree(dynos));
      } else if (dynos.isEmpty()) {
        out().println("No dynos on " + Styled.app(app));
      } else {
        print(dynos, Instant.now());
      }
      return 0;
    }

    /** As heroku ps: one-off dynos first, then a group per command, each dyno by its number. */
    private void print(List<JsonNode> dynos, Instant now) {
      Comparator<JsonNode> byNumber = Comparator.comparingInt(PsCommands::number);
      List<JsonNode> oneOffs = dynos.stream().filter(d -> d.path("type").asText().equals("run")).sorted(byNumber).toList();
      if (!oneOffs.isEmpty()) {
        Styled.header(out(), "run: one-off processes (" + oneOffs.size() + ")");
        oneOffs.forEach(d -> out().println(d.path("name").asText() + " (" + d.path("size").asText("Basic") + "): "
            + state(d, now) + ": " + d.path("command").asText()));
        out().println();
      }
      Set<String> commands = dynos.stream().filter(d -> !d.path("type").asText().equals("run"))
          .map(d -> d.path("command").asText()).collect(Collectors.toCollection(LinkedHashSet::new));
      for (String command : commands) {
        List<JsonNode> group = dynos.stream().filter(d -> d.path("command").asText().equals(command)).sorted(byNumber).toList();
        JsonNode first = group.get(0);
        Styled.header(out(), first.path("type").asText() + " (" + first.path("size").asText("Basic") + "): " + command + " (" + group.size() + ")");
        group.forEach(d -> out().println(d.path("name").asText() + ": " + state(d, now)));
        out().println();
      }
    }

    /** {@code up 2026/11/29 08:03:15 +0000 (~ 5m ago) on local}: Manifold adds the node. */
    private static String state(JsonNode d, Instant now) {
      String node = d.path("node").asText("");
      return d.path("state").asText() + " " + Styled.ago(Styled.instant(d.get("updated_at")), now) + (node.isEmpty() ? "" : " on " + node);
    }
  }

  @Command(name = "ps:scale", mixinStandardHelpOptions = true,
      description = {"Scales process types: TYPE=N sets, TYPE+N and TYPE-N change the number of dynos; :SIZE resizes them.",
          "Without arguments, prints the formation in a form ps:scale takes back."})
  static final class Scale extends PlatformCommand.ForApp {
    /** Heroku's form: {@code web=2}, {@code web=2:Standard-2X}, {@code worker+1}, {@code worker-1}. */
    private static final Pattern CHANGE = Pattern.compile("([\\w-]+)([=+-]\\d+)(?::([\\w-]+))?");

    @Parameters(arity = "0..*", paramLabel = "TYPE=N[:SIZE]", description = "e.g. web=2, worker+1, web=3:Standard-2X")
    List<String> changes = new ArrayList<>();

    @Override
    public Integer call() {
      ArrayNode updates = updates(changes);
      PlatformClient heroku = api.client();
      String app = app(heroku);
      if (updates.isEmpty()) {
        List<JsonNode> formation = heroku.list(href("apps", app, "formation"));
        if (formation.isEmpty()) {
          throw new InputException("TYPE=N", "No process types on " + Styled.app(app) + ".\nDeploy a directory with a Procfile to add process types.");
        }
        out().println(formation.stream().map(f -> f.path("type").asText() + "=" + f.path("quantity").asInt() + ":" + f.path("size").asText())
            .sorted().collect(Collectors.joining(" ")));
        return 0;
      }
      try (Action a = action("Scaling dynos")) {
        JsonNode formation = heroku.patch(href("apps", app, "formation"), PlatformClient.object().set("updates", updates));
        Set<String> asked = new LinkedHashSet<>();
        updates.forEach(u -> asked.add(u.get("type").asText()));
        List<String> running = new ArrayList<>();
        formation.forEach(f -> {
          if (asked.contains(f.path("type").asText())) {
            running.add(f.path("type").asText() + " at " + f.path("quantity").asInt() + ":" + f.path("size").asText());
          }
        });
        a.done("done, now running " + String.join(", ", running));
      }
      return 0;
    }

    /** The request body's updates, as the heroku CLI sends them: quantities as strings, sizes as {@code size}. */
    static ArrayNode updates(List<String> changes) {
      ArrayNode updates = PlatformClient.JSON.createArrayNode();
      for (String change : changes) {
        Matcher m = CHANGE.matcher(change);
        if (!m.matches()) {
          throw new InputException("TYPE=N[:SIZE]", "expected TYPE=N, TYPE+N or TYPE-N, with an optional :SIZE"
              + " (such as web=2, worker+1 or web=3:Standard-2X), but found '" + change + "'");
        }
        ObjectNode u = updates.addObject().put("type", m.group(1))
            .put("quantity", m.group(2).startsWith("=") ? m.group(2).substring(1) : m.group(2));
        if (m.group(3) != null) {
          u.put("size", m.group(3));
        }
      }
      return updates;
    }
  }

  @Command(name = "ps:restart", mixinStandardHelpOptions = true,
      description = "Restarts a dyno (web.1), every dyno of a process type (web), or, with neither, every dyno of the app.")
  static final class Restart extends PlatformCommand.ForApp {
    @Parameters(arity = "0..1", paramLabel = "DYNO|TYPE", description = "A dyno (web.1) or a process type (web).")
    String target;

    @Option(names = {"-d", "--dyno-name"}, paramLabel = "DYNO", description = "The dyno to restart, e.g. web.1.")
    String dyno;

    @Option(names = {"-p", "--process-type"}, paramLabel = "TYPE", description = "The process type to restart, e.g. web.")
    String type;

    @Override
    public Integer call() {
      Target t = Target.of(target, dyno, type);
      PlatformClient heroku = api.client();
      String app = app(heroku);
      String href = t.type() != null ? href("apps", app, "formations", t.type())
          : t.dyno() != null ? href("apps", app, "dynos", t.dyno())
          : href("apps", app, "dynos");
      try (Action a = action("Restarting " + t.describe() + " on " + Styled.app(app))) {
        heroku.delete(href);
        a.done();
      }
      return 0;
    }
  }

  @Command(name = "ps:stop", mixinStandardHelpOptions = true,
      description = {"Stops a dyno (run.1, worker.2) or every dyno of a process type.",
          "A stopped formation dyno is started again, as on Heroku; scale to 0 to keep it stopped."})
  static final class Stop extends PlatformCommand.ForApp {
    @Parameters(arity = "0..1", paramLabel = "DYNO|TYPE", description = "A dyno (run.1) or a process type (worker).")
    String target;

    @Option(names = {"-d", "--dyno-name"}, paramLabel = "DYNO", description = "The dyno to stop, e.g. run.1.")
    String dyno;

    @Option(names = {"-p", "--process-type"}, paramLabel = "TYPE", description = "The process type to stop, e.g. worker.")
    String type;

    @Override
    public Integer call() {
      Target t = Target.of(target, dyno, type);
      if (t.dyno() == null && t.type() == null) {
        throw new InputException("DYNO|TYPE", "Please specify a process type or dyno name to stop.");
      }
      PlatformClient heroku = api.client();
      String app = app(heroku);
      String href = t.type() != null ? href("apps", app, "formations", t.type(), "actions", "stop")
          : href("apps", app, "dynos", t.dyno(), "actions", "stop");
      try (Action a = action("Stopping " + t.describe() + " on " + Styled.app(app))) {
        heroku.post(href, null);
        a.done();
      }
      return 0;
    }
  }

  /** A dyno or a process type, from the flags or the argument: a name with a dot is a dyno (web.1). */
  record Target(String dyno, String type) {
    static Target of(String argument, String dyno, String type) {
      int given = (argument == null ? 0 : 1) + (dyno == null ? 0 : 1) + (type == null ? 0 : 1);
      if (given > 1) {
        throw new InputException("DYNO|TYPE", "give one of a dyno (-d web.1), a process type (-p web) or an argument, not several");
      }
      if (argument != null) {
        return argument.contains(".") ? new Target(argument, null) : new Target(null, argument);
      }
      return new Target(dyno, type);
    }

    String describe() {
      return type != null ? "all " + type + " dynos" : dyno != null ? "dyno " + dyno : "all dynos";
    }
  }

  /** The number in a dyno's name ({@code web.12} is 12), for ordering; 0 when there is none. */
  private static int number(JsonNode dyno) {
    String name = dyno.path("name").asText();
    String n = name.substring(name.indexOf('.') + 1);
    return n.matches("\\d{1,9}") ? Integer.parseInt(n) : 0;
  }
}
