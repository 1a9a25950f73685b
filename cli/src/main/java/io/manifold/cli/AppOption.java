package io.manifold.cli;

import io.manifold.core.InputException;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * Which app a command is about: {@code -a/--app}, else {@code MANIFOLD_APP}, else the only app
 * when the manifold runs exactly one (a local manifold usually does), else a usage error that
 * lists the apps to choose from.
 */
final class AppOption {
  @Option(names = {"-a", "--app"}, paramLabel = "APP",
      description = "The app (default: $MANIFOLD_APP, else the only app there is).")
  String app;

  String resolve(PlatformClient heroku) {
    return resolve(app, System::getenv, () -> heroku.list("/apps").stream().map(a -> a.path("name").asText()).sorted().toList());
  }

  static String resolve(String flag, Function<String, String> env, Supplier<List<String>> apps) {
    if (flag != null && !flag.isBlank()) {
      return flag.strip();
    }
    String fromEnv = env.apply("MANIFOLD_APP");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.strip();
    }
    List<String> names = apps.get();
    if (names.size() == 1) {
      return names.get(0);
    }
    if (names.isEmpty()) {
      throw new InputException("-a/--app", "this manifold runs no apps yet; create one with manifold apps:create NAME --dir DIR");
    }
    throw new InputException("-a/--app", "which app? this manifold runs " + names.size() + " (" + String.join(", ", names)
        + "); give one with -a APP or set MANIFOLD_APP");
  }
}
