package io.manifold.cli;

import static io.manifold.cli.PlatformClient.href;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code deploy}: Manifold's {@code git push heroku}. A build from a directory on this machine
 * ({@code source_blob.url = file:///...}); the new release restarts every dyno on the new code.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
    description = "Deploys the app in DIR (its Procfile and code) as a new release; every dyno restarts on it.")
final class DeployCommand extends PlatformCommand.ForApp {
  @Parameters(arity = "0..1", paramLabel = "DIR", defaultValue = ".", description = "The app's directory (default: this one).")
  Path dir;

  @Override
  public Integer call() {
    Path abs = AppsCommands.directory(dir, "DIR");
    PlatformClient heroku = api.client();
    String app = app(heroku);
    try (Action a = action("Deploying " + abs + " to " + Styled.app(app))) {
      JsonNode build = heroku.post(href("apps", app, "builds"),
          PlatformClient.object().set("source_blob", PlatformClient.object().put("url", abs.toUri().toString())));
      JsonNode release = heroku.get(href("apps", app, "releases", build.path("release").path("id").asText()));
      a.done("done, v" + release.path("version").asInt());
    }
    return 0;
  }
}
