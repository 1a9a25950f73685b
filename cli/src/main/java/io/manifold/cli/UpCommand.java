package io.manifold.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.manifold.cluster.LocalManifold;
import io.manifold.core.InputException;
import io.manifold.core.app.AppHandle;
import io.manifold.core.app.AppNames;
import io.manifold.core.app.EnvFile;
import io.manifold.core.app.Formation;
import io.manifold.core.logs.LogChannel;
import io.manifold.core.logs.LogFilter;
import io.manifold.core.logs.LogLine;
import io.manifold.core.logs.TailSession;
import io.manifold.core.procfile.ProcessType;
import io.manifold.core.procfile.Procfile;
import io.manifold.core.routing.RoutingPolicies;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the app in DIR on a local manifold: its Procfile's processes as real dynos, Heroku's router"
          + " in front of its web dynos, and its log (Heroku-formatted, one colour per dyno) on this terminal.",
      "",
      "Ctrl-C or SIGTERM stops every dyno the Heroku way: SIGTERM, then SIGKILL after the grace period."
    })
final class UpCommand implements Callable<Integer> {

  @Parameters(arity = "0..1", paramLabel = "DIR",
      description = "The app's directory, with its Procfile (default: the bundled example, examples/hello). The app is named after it.")
  Path dir;

  @Option(names = "--app", paramLabel = "NAME", description = "The app's name (default: the directory's).")
  String app;

  @Option(names = {"-f", "--formation"}, paramLabel = "TYPE=N[,...]",
      description = "How many dynos of each process type, e.g. web=3,worker=1 (default: 1 of each).")
  String formation;

  @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "5000",
      description = "The router's port on 127.0.0.1; 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--api-port", paramLabel = "PORT", defaultValue = "5555",
      description = "The Platform API's port on 127.0.0.1; 0 for any free one (default: ${DEFAULT-VALUE}).")
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

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    Path appDir = appDirectory();
    Procfile procfile = Procfile.read(appDir);
    procfile.warnings().forEach(w -> System.err.println("manifold: warning: " + w));
    String name = app != null ? AppNames.check(app, "--app") : AppNames.fromDirectory(appDir);
    Map<String, Integer> quantities = quantities(procfile);
    RoutingPolicies.create(policy, RoutingPolicies.threadLocalRandom(), "--policy");
    if (port < 0 || port > 65535) {
      throw new InputException("--port", "expected a port from 0 to 65535 but found " + port);
    }
    if (apiPort < 0 || apiPort > 65535) {
      throw new InputException("--api-port", "expected a port from 0 to 65535 but found " + apiPort);
    }
    Map<String, String> config = configVars(appDir);

    ManifoldConfigFile configFile = ManifoldConfigFile.standard();
    String token = configFile.tokenOrCreate(LocalManifold::newToken);
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
    Config settings = ConfigFactory.parseMap(overrides);

    LocalManifold node = LocalManifold.start(settings);
    LocalManifold.Up up;
    try {
      up = node.up(name, appDir, config, formation == null ? null : quantities, quantities);
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
    AppHandle handle = up.app();
    configFile.write(Map.of("api_url", node.apiUrl()));
    out.println("manifold: app " + name + " from " + appDir + " (" + procfile.processTypes().stream()
        .map(ProcessType::name).collect(Collectors.joining(", ")) + ")");
    out.println("manifold: state in " + node.database() + (up.found() ? "; " + name + " was found there and comes back up" : ""));
    out.println("manifold: formation " + (up.found() && formation == null ? "as it was" : Formation.describe(quantities)) + "; router policy " + policy
        + (config.isEmpty() ? "" : "; config vars " + String.join(", ", config.keySet())));
    out.println("manifold: API on " + node.apiUrl() + " (token in " + configFile.path() + "); for the heroku CLI:");
    out.println("  " + EnvCommand.exports(node.apiUrl(), token, configFile.path().getParent()));
    out.println("manifold: web console on " + node.apiUrl() + "/ (log in with the same token)");
    out.println("manifold: " + node.appUrl(name) + "   (Ctrl-C to stop)");
    out.flush();

    AtomicReference<LogLine> lastPrinted = new AtomicReference<>();
    boolean colour = !noColor && System.console() != null && System.getenv("NO_COLOR") == null;
    ActorRef<TailSession.Event> printer = node.system().systemActorOf(
        ConsolePrinter.create(out, colour, lastPrinted), "console", Props.empty());
    handle.logs().tell(new LogChannel.Tail(LogFilter.ALL, 1500, printer));

    CoordinatedShutdown shutdown = CoordinatedShutdown.get(node.system());
    node.onStopping(() -> System.err.println("manifold: stopping every dyno (SIGTERM, then SIGKILL after the grace period)"));
    shutdown.addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "print-last-lines", () ->
        AskPattern.<LogChannel.Command, LogChannel.Lines>ask(handle.logs(), r -> new LogChannel.Fetch(LogFilter.ALL, 1, r),
                Duration.ofSeconds(2), node.system().scheduler())
            .thenApply(last -> {
              awaitPrinted(lastPrinted, last.lines(), Duration.ofSeconds(3));
              return Done.getInstance();
            })
            .exceptionally(e -> Done.getInstance()));
    node.whenTerminated().toCompletableFuture().join();
    return 0;
  }

  private static void awaitPrinted(AtomicReference<LogLine> printed, List<LogLine> last, Duration within) {
    if (last.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + within.toNanos();
    while (!last.get(0).equals(printed.get()) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private Path appDirectory() {
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

  private Map<String, Integer> quantities(Procfile procfile) {
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

  private Map<String, String> configVars(Path appDir) {
    if (envFile != null) {
      return EnvFile.read(envFile);
    }
    Path dotEnv = appDir.resolve(".env");
    return Files.isRegularFile(dotEnv) ? EnvFile.read(dotEnv) : Map.of();
  }
}
