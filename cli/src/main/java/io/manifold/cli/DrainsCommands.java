package io.manifold.cli;

import static io.manifold.cli.PlatformClient.href;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code drains}, {@code drains:add}, {@code drains:remove}: HTTPS log drains in Logplex's framing. */
final class DrainsCommands {
  private DrainsCommands() {}

  @Command(name = "drains", mixinStandardHelpOptions = true, description = "Lists an app's log drains, each with its token.")
  static final class Index extends PlatformCommand.ForApp {
    @Option(names = {"-j", "--json"}, description = "The API's JSON.")
    boolean json;

    @Override
    public Integer call() {
      PlatformClient heroku = api.client();
      String app = app(heroku);
      List<JsonNode> drains = heroku.list(href("apps", app, "log-drains"));
      if (json) {
        Styled.json(out(), PlatformClient.JSON.valueToTree(drains));
      } else if (drains.isEmpty()) {
        out().println(Styled.app(app) + " has no drains.");
      } else {
        Styled.header(out(), "Drains");
        drains.forEach(d -> out().println(d.path("url").asText() + " (" + d.path("token").asText() + ")"));
      }
      return 0;
    }
  }

  @Command(name = "drains:add", mixinStandardHelpOptions = true,
      description = "Adds a log drain: the app's log is POSTed to URL in batches (Content-Type: application/logplex-1).")
  static final class Add extends PlatformCommand.ForApp {
    @Parameters(paramLabel = "URL", description = "The drain's https:// (or http://) URL.")
    String url;

    @Override
    public Integer call() {
      PlatformClient heroku = api.client();
      JsonNode drain = heroku.post(href("apps", app(heroku), "log-drains"), PlatformClient.object().put("url", url));
      out().println("Successfully added drain " + drain.path("url").asText());
      return 0;
    }
  }

  @Command(name = "drains:remove", mixinStandardHelpOptions = true, description = "Removes a log drain, named by its URL or its token.")
  static final class Remove extends PlatformCommand.ForApp {
    @Parameters(paramLabel = "URL|TOKEN", description = "The drain's URL or token (d.<uuid>).")
    String drain;

    @Override
    public Integer call() {
      PlatformClient heroku = api.client();
      JsonNode removed = heroku.delete(href("apps", app(heroku), "log-drains", drain));
      out().println("Successfully removed drain " + removed.path("url").asText());
      return 0;
    }
  }
}
