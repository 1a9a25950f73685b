package io.manifold.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code manifold env}: the environment that points the real {@code heroku} CLI at the running manifold. */
@Command(
    name = "env",
    mixinStandardHelpOptions = true,
    description = "Prints the shell line that points the heroku CLI at the manifold that `manifold up` started.")
final class EnvCommand implements Callable<Integer> {

  /**
   * {@code HEROKU_HOST} with 127.0.0.1 (the CLI accepts no other local host), the token, and the
   * switches that keep the CLI off every other host and off the user's git config.
   */
  static String exports(String apiUrl, String token, java.nio.file.Path configDir) {
    return "export HEROKU_HOST=" + apiUrl + " HEROKU_PARTICLEBOARD_URL=" + apiUrl + " HEROKU_API_KEY=" + token
        + " DISABLE_TELEMETRY=true HEROKU_SKIP_ANALYTICS=1 HEROKU_SKIP_NEW_VERSION_CHECK=true HEROKU_DISABLE_AUTOUPDATE=1"
        + " GIT_CONFIG_GLOBAL=" + configDir.toAbsolutePath().resolve("heroku-gitconfig");
  }

  @Override
  public Integer call() {
    ManifoldConfigFile file = ManifoldConfigFile.standard();
    String url = file.apiUrl();
    String token = file.token();
    if (url == null || token == null) {
      System.err.println("manifold: no manifold has been started on this machine yet (nothing in " + file.path() + "); run `manifold up` first");
      return 1;
    }
    System.out.println(exports(url, token, file.path().getParent()));
    return 0;
  }
}
