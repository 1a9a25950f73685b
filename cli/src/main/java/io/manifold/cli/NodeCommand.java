package io.manifold.cli;

import com.typesafe.config.ConfigFactory;
import io.manifold.cluster.LocalManifold;
import io.manifold.cluster.NodeProcess;
import io.manifold.core.InputException;
import io.manifold.core.app.Formation;
import io.manifold.core.procfile.Procfile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.pekko.actor.typed.Props;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one node of a manifold in this JVM, so that a manifold can span processes and machines: the first node"
          + " starts a cluster (no --join), the others join it (--join HOST:PORT of a running node). Every node's router"
          + " serves every app and every node's API the whole manifold; dynos spread over the nodes, and a lost node's"
          + " dynos start again on the others.",
      "",
      "The nodes share their state: on one machine, the H2 file in the data directory (the same --data-dir for all);"
          + " across machines, PostgreSQL (--database postgres://...).",
      "",
      "Ctrl-C or SIGTERM makes the node leave the cluster: its dynos stop the Heroku way and start again on the others."
    })
final class NodeCommand implements Callable<Integer> {

  @Parameters(arity = "0..1", paramLabel = "DIR",
      description = "An app's directory, with its Procfile: the app (named after it) is made on the manifold, or brought"
          + " up to date, and its log shown here. Without DIR, the node serves whatever apps the manifold has.")
  Path dir;

  @Mixin
  RunOptions run;

  @Option(names = "--cluster-port", paramLabel = "PORT", defaultValue = "2551",
      description = "The node's port in the cluster (Pekko Artery, TCP), which other nodes --join; 0 for any free one (default: ${DEFAULT-VALUE}).")
  int clusterPort;

  @Option(names = "--join", paramLabel = "HOST:PORT", split = ",",
      description = "A running node to join (its --host and --cluster-port); several, or a comma-separated list, are seed nodes"
          + " tried in turn. A list that starts with this node's own address lets it start the cluster when no other answers.")
  List<String> join = new ArrayList<>();

  @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
      description = "The host or IP address other nodes reach this one at: its cluster address, where its router and API listen,"
          + " and where other routers reach its dynos (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--name", paramLabel = "NAME",
      description = "The node's name, shown with each dyno it runs (default: node-CLUSTER-PORT).")
  String name;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "The API's token, the same on every node (default: MANIFOLD_API_TOKEN, else the one manifold keeps in its config file).")
  String token;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    Path appDir = null;
    Procfile procfile = null;
    String app = null;
    Map<String, Integer> quantities = Map.of();
    Map<String, String> config = Map.of();
    if (dir != null) {
      appDir = RunOptions.appDirectory(dir);
      procfile = RunOptions.procfile(appDir);
      app = run.appName(appDir);
      quantities = run.quantities(procfile);
    }
    run.check();
    RunOptions.checkPort("--cluster-port", clusterPort);
    if (host == null || host.isBlank()) {
      throw new InputException("--host", "expected the host or IP address other nodes reach this one at, such as 127.0.0.1");
    }
    if (appDir != null) {
      config = run.configVars(appDir);
    }

    ManifoldConfigFile configFile = ManifoldConfigFile.standard();
    String apiToken = token != null ? token
        : System.getenv("MANIFOLD_API_TOKEN") != null ? System.getenv("MANIFOLD_API_TOKEN")
        : configFile.tokenOrCreate(LocalManifold::newToken);
    Map<String, Object> settings = new HashMap<>(run.settings(apiToken));
    settings.put("manifold.node.host", host);
    settings.put("manifold.router.host", host);
    settings.put("manifold.api.host", host);
    String nodeName = name != null ? name : "node-" + (clusterPort != 0 ? Integer.toString(clusterPort) : Long.toString(ProcessHandle.current().pid()));

    NodeProcess node = NodeProcess.start(ConfigFactory.parseMap(settings), nodeName, clusterPort, join);
    leaveOnSignals(node);
    LocalManifold.Up up = null;
    if (appDir != null) {
      try {
        up = node.up(app, appDir, config, run.formation == null ? null : quantities, quantities);
      } catch (RuntimeException e) {
        node.close();
        throw e;
      }
    }
    if (join.isEmpty()) {
      configFile.write(Map.of("api_url", node.apiUrl(), "token", apiToken));
    }
    String self = node.address().host().get() + ":" + node.address().port().get();
    out.println("manifold: node " + node.name() + " (" + node.address() + ") is up; the cluster has " + node.members() + " node"
        + (node.members() == 1 ? "" : "s"));
    out.println("manifold: state in " + node.database());
    out.println("manifold: router " + node.routerUrl() + " (apps at " + node.appUrl("APP") + "), API " + node.apiUrl()
        + (join.isEmpty() ? " (token in " + configFile.path() + ")" : ""));
    out.println("manifold: more nodes join with: manifold node --cluster-port PORT --port PORT --api-port PORT --join " + self);
    if (up != null) {
      out.println("manifold: app " + app + " " + (up.found() ? "found" : "made") + "; formation "
          + (up.found() && run.formation == null ? "as it was" : Formation.describe(quantities)) + "; " + node.appUrl(app));
    }
    out.flush();

    node.system().systemActorOf(MembershipPrinter.create(out), "membership-printer", Props.empty());
    if (up != null) {
      AppConsole.show(node.system(), up.app(), out, run.colour());
    }
    node.whenTerminated().toCompletableFuture().join();
    if (node.removedByTheCluster()) {
      System.err.println("manifold: this node was removed from the cluster (the others downed it: they could not reach it,"
          + " or it was on the minority side of a partition); its dynos were stopped. Start it again with --join HOST:PORT of a running node.");
      return 1;
    }
    return 0;
  }

  /**
   * SIGTERM and Ctrl-C make the node leave before the JVM's shutdown begins, rather than in a
   * shutdown hook, where every other hook (logging's, a library's) runs at the same time as the
   * leave. The JVM exits once the node has left.
   */
  private static void leaveOnSignals(NodeProcess node) {
    for (String name : List.of("TERM", "INT")) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), s -> new Thread(node::close, "manifold-node-leave").start());
      } catch (IllegalArgumentException notOnThisSystem) {
        // the node's shutdown hook leaves instead
      }
    }
  }
}
