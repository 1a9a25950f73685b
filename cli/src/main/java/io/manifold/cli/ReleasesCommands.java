package io.manifold.cli;

import static io.manifold.cli.PlatformClient.href;

import com.fasterxml.jackson.databind.JsonNode;
import io.manifold.core.InputException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code releases}, {@code releases:rollback}. */
final class ReleasesCommands {
  private ReleasesCommands() {}

  /** The version of the app's newest release, asked for as the heroku CLI asks after a config change. */
  static int current(PlatformClient heroku, String app) {
    List<JsonNode> newest = heroku.page(href("apps", app, "releases"), "version ..; order=desc, max=1");
    return newest.isEmpty() ? 0 : newest.get(0).path("version").asInt();
  }

  @Command(name = "releases", mixinStandardHelpOptions = true, description = "Lists an app's releases, newest first.")
  static final class Index extends PlatformCommand.ForApp {
    @Option(names = {"-n", "--num"}, paramLabel = "N", defaultValue = "15", description = "How many releases (default: ${DEFAULT-VALUE}).")
    int num;

    @Option(names = {"-j", "--json"}, description = "The API's JSON.")
    boolean json;

    @Override
    public Integer call() {
      if (num < 1) {
        throw new InputException("-n/--num", "expected a number of releases of 1 or more, but found " + num);
      }
      PlatformClient heroku = api.client();
      String app = app(heroku);
      List<JsonNode> releases = heroku.page(href("apps", app, "releases"), "version ..; max=" + num + ", order=desc").stream()
          .sorted(Comparator.comparingInt((JsonNode r) -> r.path("version").asInt()).reversed()).toList();
      if (json) {
        Styled.json(out(), PlatformClient.JSON.valueToTree(releases));
        return 0;
      }
      if (releases.isEmpty()) {
        out().println(Styled.app(app) + " has no releases.");
        return 0;
      }
      String current = releases.stream().filter(r -> r.path("current").asBoolean()).findFirst()
          .map(r -> " - Current: v" + r.path("version").asInt()).orElse("");
      Styled.header(out(), Styled.app(app) + " Releases" + current);
      Instant now = Instant.now();
      Styled.table(out(), releases.stream().map(r -> List.of(
          "v" + r.path("version").asInt(),
          r.path("description").asText() + status(r),
          r.path("user").path("email").asText(),
          Styled.ago(Styled.instant(r.get("created_at")), now))).toList());
      return 0;
    }

    private static String status(JsonNode release) {
      String status = release.path("status").asText("succeeded");
      return status.equals("succeeded") ? "" : " " + status;
    }
  }

  @Command(name = "releases:rollback", mixinStandardHelpOptions = true,
      description = {"Rolls an app back to an earlier release's code and config vars, as a new release.",
          "Without RELEASE, to the release before the current one."})
  static final class Rollback extends PlatformCommand.ForApp {
    @Parameters(arity = "0..1", paramLabel = "RELEASE", description = "The release, e.g. v3.")
    String release;

    @Override
    public Integer call() {
      if (release != null && !release.matches("v?\\d{1,9}")) {
        throw new InputException("RELEASE", "expected a release version such as v3, but found '" + release + "'");
      }
      PlatformClient heroku = api.client();
      String app = app(heroku);
      JsonNode target = release != null ? heroku.get(href("apps", app, "releases", release.replaceFirst("^v", ""))) : previous(heroku, app);
      JsonNode latest;
      try (Action a = action("Rolling back " + Styled.app(app) + " to v" + target.path("version").asInt())) {
        latest = heroku.post(href("apps", app, "releases"), PlatformClient.object().put("release", target.path("id").asText()));
        a.done("done, v" + latest.path("version").asInt());
      }
      err().println("manifold: warning: Rollback affects code and config vars; it doesn't add or remove addons.");
      err().println("manifold: warning: To undo, run: manifold releases:rollback v" + (latest.path("version").asInt() - 1) + " -a " + app);
      return 0;
    }

    /** The newest release older than the current one: where Heroku rolls back to when not told. */
    private static JsonNode previous(PlatformClient heroku, String app) {
      List<JsonNode> releases = heroku.page(href("apps", app, "releases"), "version ..; max=1000, order=desc");
      int current = releases.stream().filter(r -> r.path("current").asBoolean()).mapToInt(r -> r.path("version").asInt())
          .findFirst().orElse(Integer.MAX_VALUE);
      return releases.stream().filter(r -> r.path("version").asInt() < current && r.path("status").asText("succeeded").equals("succeeded"))
          .max(Comparator.comparingInt(r -> r.path("version").asInt()))
          .orElseThrow(() -> new InputException("RELEASE", "No eligible release found for " + Styled.app(app) + " to roll back to."));
    }
  }
}
