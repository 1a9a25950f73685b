package io.manifold.cli;

import static io.manifold.cli.PlatformClient.href;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.manifold.core.InputException;
import java.io.Console;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code apps}, {@code apps:create}, {@code apps:info}, {@code apps:destroy}. */
final class AppsCommands {
  private AppsCommands() {}

  @Command(name = "apps", mixinStandardHelpOptions = true, description = "Lists the apps of the manifold.")
  static final class Index extends PlatformCommand {
    @Option(names = {"-j", "--json"}, description = "The API's JSON.")
    boolean json;

    @Override
    public Integer call() {
      PlatformClient heroku = api.client();
      List<JsonNode> apps = heroku.list("/apps").stream().sorted(Comparator.comparing(a -> a.path("name").asText())).toList();
      if (json) {
        Styled.json(out(), PlatformClient.JSON.valueToTree(apps));
        return 0;
      }
      if (apps.isEmpty()) {
        out().println("You have no apps.");
        return 0;
      }
      Styled.header(out(), heroku.get("/account").path("email").asText() + " Apps");
      apps.forEach(a -> out().println(Styled.app(a.path("name").asText())));
      return 0;
    }
  }

  @Command(name = "apps:create", mixinStandardHelpOptions = true,
      description = {"Creates an app; with --dir, deploys the app in that directory (its Procfile) to it.",
          "Without a NAME the manifold makes one up, as Heroku does."})
  static final class Create extends PlatformCommand {
    @Parameters(arity = "0..1", paramLabel = "NAME", description = "The app's name: 3 to 30 of a-z, 0-9 and '-'.")
    String name;

    @Option(names = "--dir", paramLabel = "DIR", description = "A directory with a Procfile to deploy to the new app.")
    Path dir;

    @Option(names = {"-j", "--json"}, description = "The API's JSON for the new app.")
    boolean json;

    @Override
    public Integer call() {
      PlatformClient heroku = api.client();
      ObjectNode body = PlatformClient.object();
      if (name != null) {
        body.put("name", name);
      }
      if (dir != null) {
        body.putObject("manifold").put("dir", directory(dir, "--dir").toString());
      }
      JsonNode app;
      try (Action a = action("Creating " + (name == null ? "app" : Styled.app(name)))) {
        app = heroku.post("/apps", body);
        a.done(name == null ? "done, " + Styled.app(app.path("name").asText()) : "done");
      }
      if (json) {
        Styled.json(out(), app);
      } else {
        String gitUrl = app.path("git_url").asText("");
        out().println(app.path("web_url").asText() + (gitUrl.isEmpty() ? "" : " | " + gitUrl));
      }
      return 0;
    }
  }

  @Command(name = "apps:info", mixinStandardHelpOptions = true, description = "Shows an app: its URLs, owner, region, dynos and stack.")
  static final class Info extends PlatformCommand.ForApp {
    @Option(names = {"-j", "--json"}, description = "The API's JSON: the app, its dynos, add-ons and collaborators.")
    boolean json;

    @Override
    public Integer call() {
      PlatformClient heroku = api.client();
      String name = app(heroku);
      JsonNode app = heroku.get(href("apps", name));
      List<JsonNode> dynos = heroku.list(href("apps", name, "dynos"));
      if (json) {
        ObjectNode info = PlatformClient.object();
        info.set("addons", PlatformClient.JSON.createArrayNode());
        info.set("app", app);
        info.set("collaborators", PlatformClient.JSON.createArrayNode());
        info.set("dynos", PlatformClient.JSON.valueToTree(dynos));
        info.putNull("pipeline_coupling");
        Styled.json(out(), info);
        return 0;
      }
      Map<String, Long> perType = dynos.stream().collect(Collectors.groupingBy(d -> d.path("type").asText(), TreeMap::new, Collectors.counting()));
      Map<String, String> shown = new LinkedHashMap<>();
      shown.put("Auto Cert Mgmt", app.path("acm").asText());
      shown.put("Git URL", app.path("git_url").asText());
      shown.put("Web URL", app.path("web_url").asText());
      shown.put("Repo Size", "0 B");
      shown.put("Slug Size", "0 B");
      shown.put("Owner", app.path("owner").path("email").asText());
      shown.put("Region", app.path("region").path("name").asText());
      shown.put("Dynos", perType.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", ")));
      shown.put("Stack", app.path("stack").path("name").asText());
      Styled.header(out(), Styled.app(app.path("name").asText()));
      Styled.object(out(), shown);
      return 0;
    }
  }

  @Command(name = "apps:destroy", mixinStandardHelpOptions = true,
      description = {"Destroys an app: stops its dynos and forgets it.",
          "Asks to type the app's name, unless --confirm gives it."})
  static final class Destroy extends PlatformCommand {
    @Parameters(arity = "0..1", paramLabel = "APP", description = "The app (or -a APP).")
    String positional;

    @Option(names = {"-a", "--app"}, paramLabel = "APP", description = "The app (default: $MANIFOLD_APP, else the one --confirm names).")
    String app;

    @Option(names = {"-c", "--confirm"}, paramLabel = "APP", description = "The app's name again, to confirm without being asked.")
    String confirm;

    @Override
    public Integer call() {
      PlatformClient heroku = api.client();
      // never "the only app" here: the app is named, by a flag, the environment or --confirm
      String name = first(positional, app, System.getenv("MANIFOLD_APP"), confirm);
      if (name == null) {
        throw new InputException("APP", "no app given: name the app to destroy, e.g. manifold apps:destroy --confirm APP");
      }
      heroku.get(href("apps", name)); // an unknown app is the API's not_found, before anything is asked
      confirmed(name);
      try (Action a = action("Destroying " + Styled.app(name) + " (including all add-ons)")) {
        heroku.delete(href("apps", name));
        a.done();
      }
      return 0;
    }

    private void confirmed(String name) {
      if (confirm != null) {
        if (!confirm.equals(name)) {
          throw new InputException("--confirm", "Confirmation " + confirm + " did not match " + name + ". Aborted.");
        }
        return;
      }
      Console console = System.console();
      String warning = "This will delete " + Styled.app(name) + " and stop its dynos.";
      if (console == null) {
        throw new InputException("--confirm", warning + " To proceed, re-run this command with --confirm " + name);
      }
      String typed = console.readLine("%s%nTo proceed, type %s or re-run this command with --confirm %s%n> ", warning, name, name);
      if (typed == null || !typed.strip().equals(name)) {
        throw new InputException("--confirm", "Confirmation did not match " + name + ". Aborted.");
      }
    }

    private static String first(String... values) {
      for (String v : values) {
        if (v != null && !v.isBlank()) {
          return v.strip();
        }
      }
      return null;
    }
  }

  /** An existing directory, made absolute: the API runs the app from there, wherever it was started. */
  static Path directory(Path dir, String place) {
    if (!Files.isDirectory(dir)) {
      throw new InputException(place, "expected a directory with a Procfile, but there is no directory " + dir);
    }
    return dir.toAbsolutePath().normalize();
  }
}
