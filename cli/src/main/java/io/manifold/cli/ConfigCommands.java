package io.manifold.cli;

import static io.manifold.cli.PlatformClient.href;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.manifold.core.InputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code config}, {@code config:get}, {@code config:set}, {@code config:unset}. */
final class ConfigCommands {
  private ConfigCommands() {}

  @Command(name = "config", mixinStandardHelpOptions = true, description = "Shows an app's config vars.")
  static final class Index extends PlatformCommand.ForApp {
    @Option(names = {"-j", "--json"}, description = "The API's JSON.")
    boolean json;

    @Override
    public Integer call() {
      PlatformClient heroku = api.client();
      String app = app(heroku);
      JsonNode config = heroku.get(href("apps", app, "config-vars"));
      if (json) {
        Styled.json(out(), config);
        return 0;
      }
      Styled.header(out(), Styled.app(app) + " Config Vars");
      Styled.object(out(), strings(config));
      return 0;
    }
  }

  @Command(name = "config:get", mixinStandardHelpOptions = true,
      description = "Prints the value of a config var (an empty line when it is not set).")
  static final class Get extends PlatformCommand.ForApp {
    @Parameters(arity = "1..*", paramLabel = "KEY", description = "The config var, e.g. DATABASE_URL.")
    List<String> keys;

    @Override
    public Integer call() {
      PlatformClient heroku = api.client();
      JsonNode config = heroku.get(href("apps", app(heroku), "config-vars"));
      keys.forEach(key -> out().println(config.path(key).asText("")));
      return 0;
    }
  }

  @Command(name = "config:set", mixinStandardHelpOptions = true,
      description = "Sets config vars: a new release, and every dyno restarts with them.")
  static final class Set extends PlatformCommand.ForApp {
    @Parameters(arity = "1..*", paramLabel = "KEY=VALUE", description = "e.g. GREETING=hello")
    List<String> assignments;

    @Override
    public Integer call() {
      Map<String, String> vars = new LinkedHashMap<>();
      for (String assignment : assignments) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
          throw new InputException("KEY=VALUE", assignment + " is invalid. Must be in the format FOO=bar.");
        }
        vars.put(assignment.substring(0, eq), assignment.substring(eq + 1));
      }
      PlatformClient heroku = api.client();
      String app = app(heroku);
      ObjectNode body = PlatformClient.object();
      vars.forEach(body::put);
      JsonNode config;
      try (Action a = action("Setting " + String.join(", ", vars.keySet()) + " and restarting " + Styled.app(app))) {
        config = heroku.patch(href("apps", app, "config-vars"), body);
        a.done("done, v" + ReleasesCommands.current(heroku, app));
      }
      Map<String, String> shown = new LinkedHashMap<>();
      vars.keySet().forEach(k -> shown.put(k, config.path(k).asText(null)));
      Styled.object(out(), shown);
      return 0;
    }
  }

  @Command(name = "config:unset", mixinStandardHelpOptions = true,
      description = "Unsets config vars: a new release, and every dyno restarts without them.")
  static final class Unset extends PlatformCommand.ForApp {
    @Parameters(arity = "1..*", paramLabel = "KEY", description = "e.g. GREETING")
    List<String> keys = new ArrayList<>();

    @Override
    public Integer call() {
      PlatformClient heroku = api.client();
      String app = app(heroku);
      ObjectNode body = PlatformClient.object();
      keys.forEach(body::putNull); // null unsets, as the heroku CLI sends it
      try (Action a = action("Unsetting " + String.join(", ", keys) + " and restarting " + Styled.app(app))) {
        heroku.patch(href("apps", app, "config-vars"), body);
        a.done("done, v" + ReleasesCommands.current(heroku, app));
      }
      return 0;
    }
  }

  private static Map<String, String> strings(JsonNode config) {
    Map<String, String> vars = new LinkedHashMap<>();
    config.fields().forEachRemaining(e -> vars.put(e.getKey(), e.getValue().asText()));
    return vars;
  }
}
