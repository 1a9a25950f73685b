package io.manifold.cli;

import com.typesafe.config.ConfigFactory;
import io.manifold.cluster.LocalManifold;
import io.manifold.cluster.ManifoldNode;
import io.manifold.core.InputException;
import io.manifold.core.app.Formation;
import io.manifold.core.procfile.ProcessType;
import io.manifold.core.procfile.Procfile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the app in DIR on a local manifold: its Procfile's processes as real dynos, Heroku's router"
          + " in front of its web dynos, and its log (Heroku-formatted, one colour per dyno) on this terminal.",
      "",
      "With --nodes N, the manifold is a Pekko cluster of N nodes in this JVM, each with a router and an API"
          + " of its own (ports PORT, PORT+1, ...), any of which serves every app; dynos spread over the nodes.",
      "",
      "Ctrl-C or SIGTERM stops every dyno the Heroku way: SIGTERM, then SIGKILL after the grace period."
    })
final class UpCommand implements Callable<Integer> {
  /** Nodes of one manifold in one JVM: a demonstration of the cluster, not a way to scale. */
  static final int MAX_NODES = 9;

  @Parameters(arity = "0..1", paramLabel = "DIR",
      description = "The app's directory, with its Procfile (default: the bundled example, examples/hello). The app is named after it.")
  Path dir;

  @Mixin
  RunOptions run;

  @Option(names = "--nodes", paramLabel = "N", defaultValue = "1",
      description = "Nodes of the manifold, all in this JVM on 127.0.0.1; node i gets router port PORT+i-1 and API port API-PORT+i-1"
          + " (default: ${DEFAULT-VALUE}; at most " + MAX_NODES + ").")
  int nodes;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    Path appDir = RunOptions.appDirectory(dir);
    Procfile procfile = RunOptions.procfile(appDir);
    String name = run.appName(appDir);
    Map<String, Integer> quantities = run.quantities(procfile);
    run.check();
    if (nodes < 1 || nodes > MAX_NODES) {
      throw new InputException("--nodes", "expected 1 to " + MAX_NODES + " nodes but found " + nodes);
    }
    Map<String, String> config = run.configVars(appDir);

    ManifoldConfigFile configFile = ManifoldConfigFile.standard();
    String token = configFile.tokenOrCreate(LocalManifold::newToken);
    Map<String, Object> settings = run.settings(token);
    settings.put("manifold.nodes", nodes);

    LocalManifold node = LocalManifold.start(ConfigFactory.parseMap(settings));
    LocalManifold.Up up;
    try {
      up = node.up(name, appDir, config, run.formation == null ? null : quantities, quantities);
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
    configFile.write(Map.of("api_url", node.apiUrl()));
    out.println("manifold: app " + name + " from " + appDir + " (" + procfile.processTypes().stream()
        .map(ProcessType::name).collect(Collectors.joining(", ")) + ")");
    out.println("manifold: state in " + node.database() + (up.found() ? "; " + name + " was found there and comes back up" : ""));
    out.println("manifold: formation " + (up.found() && run.formation == null ? "as it was" : Formation.describe(quantities)) + "; router policy " + run.policy
        + (config.isEmpty() ? "" : "; config vars " + String.join(", ", config.keySet())));
    if (nodes > 1) {
      out.println("manifold: " + nodes + " nodes in a Pekko cluster; each node's router serves every app, each node's API the whole manifold:");
      for (ManifoldNode n : node.nodes()) {
        out.println("  " + n.name() + ": router http://127.0.0.1:" + n.routerPort() + "/  API http://127.0.0.1:" + n.apiPort()
            + "  (" + n.address() + ")");
      }
    }
    out.println("manifold: API on " + node.apiUrl() + " (token in " + configFile.path() + "); for the heroku CLI:");
    out.println("  " + EnvCommand.exports(node.apiUrl(), token, configFile.path().getParent()));
    out.println("manifold: web console on " + node.apiUrl() + "/ (log in with the same token)");
    out.println("manifold: " + node.appUrl(name) + "   (Ctrl-C to stop)");
    out.flush();

    node.onStopping(() -> System.err.println("manifold: stopping every dyno (SIGTERM, then SIGKILL after the grace period)"));
    AppConsole.show(node.system(), up.app(), out, run.colour());
    node.whenTerminated().toCompletableFuture().join();
    return 0;
  }
}
