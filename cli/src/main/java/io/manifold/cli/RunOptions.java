package io.manifold.cli;

import io.manifold.core.InputException;
import io.manifold.core.app.AppNames;
import io.manifold.core.app.EnvFile;
import io.manifold.core.app.Formation;
import io.manifold.core.procfile.ProcessType;
import io.manifold.core.procfile.Procfile;
import io.manifold.core.routing.RoutingPolicies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * The flags {@code manifold up} and {@code manifold node} share: the app in DIR (its name, its
 * formation, its config vars), the node's router and API ports, the dynos' time-outs, where the
 * state is kept, the log's colours. Each is checked before anything starts, and a bad one is named
 * with what was expected.
 */
final class RunOptions {
  @Option(names = "--app", paramLabel = "NAME", description = "The app's name (default: the directory's).")
  String app;

  @Option(names = {"-f", "--formation"}, paramLabel = "TYPE=N[,...]",
      description = "How many dynos of each process type, e.g. web=3,worker=1 (default: 1 of each).")
  String formation;

  @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "5000",
      description = "The router's port; 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--api-port", paramLabel = "PORT", defaultValue = "5555",
      description = "The Platform API's port; 0 for any free one (default: ${DEFAULT-VALUE}).")
  int apiPort;

  @Option(names = "--policy", paramLabel = "POLICY", defaultValue = "random",
      description = "How the router picks a web dyno: random (Heroku's), round-robin, least-connections, power-of-two (default: ${DEFAULT-VALUE}).")
  String policy;

  @Option(names = {"-e", "--env"}, paramLabel = "FILE",
      description = "Config vars from an env file of KEY=value lines (default: DIR/.env, if there is one).")
  Path envFile;

  @Option(names = "--stop-grace", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Time between SIGTERM and SIGKILL when dynos stop (default: 30s, as Heroku).")
  Duration stopGrace;

  @Option(names = "--boot-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Time a web dyno has to bind $PORT before R10 (default: 60s, as Heroku).")
  Duration bootTimeout;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Where Manifold keeps its state (default: $XDG_DATA_HOME/manifold or ~/.local/share/manifold).")
  Path dataDir;

  @Option(names = "--database", paramLabel = "URL",
      description = "Keep the state in PostgreSQL (postgres://user:password@host:port/db) or in memory (memory) instead of the H2 file in the data directory.")
  String database;

  @Option(names = "--no-color", description = "Print the log without colours (also when NO_COLOR is set or the output is not a terminal).")
  boolean noColor;

  /** The policy and the ports, checked. */
  void check() {
    RoutingPolicies.create(policy, RoutingPolicies.threadLocalRandom(), "--policy");
    checkPort("--port", port);
    checkPort("--api-port", apiPort);
  }

  static void checkPort(String flag, int port) {
    if (port < 0 || port > 65535) {
      throw new InputException(flag, "expected a port from 0 to 65535 but found " + port);
    }
  }

  /** DIR, checked; without it, the bundled example when there is one. */
  static Path appDirectory(Path dir) {
    if (dir != null) {
      if (!Files.isDirectory(dir)) {
        throw new InputException(dir.toString(), "expected a directory with a Procfile, but there is no such directory");
      }
      return dir;
    }
    String home = System.getProperty("manifold.home");
    Path example = Path.of(home == null ? "." : home, "examples", "hello");
    if (!Files.isDirectory(example)) {
      throw new InputException("DIR", "no app directory given and the bundled example (" + example + ") is not there; give DIR, a directory with a Procfile");
    }
    return example;
  }

  /** DIR's Procfile, its warnings printed. */
  static Procfile procfile(Path appDir) {
    Procfile procfile = Procfile.read(appDir);
    procfile.warnings().forEach(w -> System.err.println("manifold: warning: " + w));
    return procfile;
  }

  String appName(Path appDir) {
    return app != null ? AppNames.check(app, "--app") : AppNames.fromDirectory(appDir);
  }

  /** The formation asked for (1 of each formation type without --formation), checked against the Procfile. */
  Map<String, Integer> quantities(Procfile procfile) {
    Map<String, Integer> quantities = new LinkedHashMap<>();
    if (formation == null) {
      procfile.processTypes().stream().filter(ProcessType::inFormation).forEach(t -> quantities.put(t.name(), 1));
      return quantities;
    }
    Map<String, Integer> asked = Formation.parse(formation, "--formation");
    for (Map.Entry<String, Integer> e : asked.entrySet()) {
      if (procfile.processType(e.getKey()).filter(ProcessType::inFormation).isEmpty()) {
        throw new InputException("--formation", "no process type '" + e.getKey() + "' in " + procfile.source() + "; expected one of "
            + procfile.processTypes().stream().filter(ProcessType::inFormation).map(ProcessType::name).collect(Collectors.joining(", ")));
      }
      if (e.getValue() > io.manifold.core.app.App.MAX_QUANTITY) {
        throw new InputException("--formation", "at most " + io.manifold.core.app.App.MAX_QUANTITY + " dynos of a process type, not " + e.getValue());
      }
    }
    quantities.putAll(asked);
    return quantities;
  }

  /** The config vars: --env FILE, else DIR/.env, else none. */
  Map<String, String> configVars(Path appDir) {
    if (envFile != null) {
      return EnvFile.read(envFile);
    }
    Path dotEnv = appDir.resolve(".env");
    return Files.isRegularFile(dotEnv) ? EnvFile.read(dotEnv) : Map.of();
  }

  /** These flags as Manifold's settings ({@code manifold.router.port}, ...). */
  Map<String, Object> settings(String token) {
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("manifold.router.port", port);
    overrides.put("manifold.api.port", apiPort);
    overrides.put("manifold.api.token", token);
    overrides.put("manifold.router.policy", policy);
    if (stopGrace != null) {
      overrides.put("manifold.dyno.stop-grace", stopGrace.toMillis() + "ms");
    }
    if (bootTimeout != null) {
      overrides.put("manifold.dyno.boot-timeout", bootTimeout.toMillis() + "ms");
    }
    if (dataDir != null) {
      overrides.put("manifold.data-dir", dataDir.toAbsolutePath().toString());
    }
    if (database != null) {
      overrides.put("manifold.db.url", database);
    }
    return overrides;
  }

  boolean colour() {
    return !noColor && System.console() != null && System.getenv("NO_COLOR") == null;
  }
}
