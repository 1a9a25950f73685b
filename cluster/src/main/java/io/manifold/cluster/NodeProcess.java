package io.manifold.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.manifold.core.InputException;
import io.manifold.core.app.AppHandle;
import io.manifold.core.app.AppRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * One node of a manifold that spans processes, and machines: the only node in this JVM, which
 * starts a cluster or joins one through its seed nodes ({@code --join HOST:PORT}). What
 * {@code manifold node} runs. Its router and its API serve the whole cluster, as every node's do.
 *
 * <p>The nodes share the durable store: an H2 file in the data directory for nodes on one machine,
 * which the store process serves to them all (a small JVM of its own that the first node starts,
 * so that no node's death touches the database: {@link StoreProcess}), or PostgreSQL
 * ({@code manifold.db.url}), the only choice across machines.
 *
 * <p>SIGTERM or Ctrl-C make the node leave the cluster the graceful way: its dynos stop the Heroku
 * way and start again on the other nodes. {@code kill -9} is a crash: the others detect it, down
 * it and start its dynos again, and its dynos die with it (the runtime's watchdog).
 */
public final class NodeProcess implements AutoCloseable {
  /** How long a seed node may take to accept a TCP connection before it counts as not there. */
  private static final int SEED_PROBE_MILLIS = 2000;

  private final ManifoldNode node;
  private final Database.Opened database;
  private final String user;
  private final String domain;
  private final String host;
  private final Thread shutdownHook = new Thread(this::close, "manifold-node-leave");
  private final AtomicBoolean leaving = new AtomicBoolean();
  private final Duration stopTimeout;

  private NodeProcess(ManifoldNode node, Database.Opened database, Config m) {
    this.node = node;
    this.database = database;
    this.user = m.getString("user");
    this.domain = m.getString("router.domain");
    this.host = m.getString("node.host");
    this.stopTimeout = m.getDuration("dyno.stop-grace").plusSeconds(20);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts the node and returns once it is an Up member of the cluster and serves.
   *
   * @param overrides Manifold's settings over its defaults: {@code manifold.node.host} (the
   *     node's cluster address and where the other routers reach its dynos), the router's and the
   *     API's host and port, {@code manifold.api.token} (the same on every node), the data
   *     directory or {@code manifold.db.url}, ...
   * @param name the node's name, shown with each dyno it runs
   * @param clusterPort the node's port in the cluster (Pekko Artery, TCP); 0 for any free one
   * @param join {@code HOST:PORT} of the cluster's seed nodes; empty to start a new cluster. A
   *     list that names this node first lets it start the cluster when no other answers (Pekko's
   *     seed-node rule), so every node can be started with the same list.
   * @throws InputException naming the flag, for a taken port, a seed that is not there, a
   *     database that cannot be used
   */
  public static NodeProcess start(Config overrides, String name, int clusterPort, List<String> join) {
    // nodes in separate processes share the H2 file only through a server: the store process
    Config config = NodeConfig.load(overrides.withFallback(ConfigFactory.parseMap(Map.of("manifold.db.store-process", true))));
    Config m = config.getConfig("manifold");
    String host = m.getString("node.host");
    if (host.isBlank()) {
      throw new InputException("--host", "expected the host or IP address other nodes reach this one at, such as 127.0.0.1");
    }
    if (clusterPort < 0 || clusterPort > 65535) {
      throw new InputException("--cluster-port", "expected a port from 0 to 65535 but found " + clusterPort);
    }
    int routerPort = m.getInt("router.port");
    int apiPort = m.getInt("api.port");
    distinct("--port", routerPort, "--cluster-port", clusterPort);
    distinct("--api-port", apiPort, "--cluster-port", clusterPort);
    distinct("--api-port", apiPort, "--port", routerPort);
    free("--cluster-port", host, clusterPort);
    free("--port", m.getString("router.host"), routerPort);
    free("--api-port", m.getString("api.host"), apiPort);

    List<Address> seeds = seeds(join);
    Address self = new Address("pekko", "manifold", host, clusterPort);
    List<Address> others = seeds.stream().filter(a -> !a.equals(self)).toList();
    if (!others.isEmpty() && !seeds.contains(self)) {
      List<String> silent = new ArrayList<>();
      boolean any = false;
      for (Address a : others) {
        String problem = probe(a);
        if (problem == null) {
          any = true;
        } else {
          silent.add(a.host().get() + ":" + a.port().get() + " (" + problem + ")");
        }
      }
      if (!any) {
        throw new InputException("--join " + String.join(",", join), "no node answers at " + String.join(", ", silent)
            + "; start the first node without --join, then the others with --join HOST:PORT of a running node (its --host and --cluster-port)");
      }
    }

    Database.Opened database = Database.open(m);
    String token = m.hasPath("api.token") ? m.getString("api.token") : LocalManifold.newToken();
    Config full = ConfigFactory.empty()
        .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds.stream().map(Address::toString).toList()))
        .withFallback(database.database().pekkoConfig())
        .withFallback(config);
    ManifoldNode node;
    try {
      node = ManifoldNode.start(name, full, clusterPort, routerPort, apiPort, token, null);
    } catch (InputException e) {
      database.close();
      throw e;
    } catch (RuntimeException e) {
      database.close();
      if (bindFailure(e)) {
        throw new InputException("--cluster-port " + clusterPort, "the port is taken on " + host + "; pick another, or 0 for any free one");
      }
      throw e;
    }
    return new NodeProcess(node, database, m);
  }

  /** {@code HOST:PORT,...} as cluster addresses. */
  static List<Address> seeds(List<String> join) {
    List<Address> seeds = new ArrayList<>();
    for (String entry : join) {
      for (String s : entry.split(",")) {
        String hp = s.strip();
        if (hp.isEmpty()) {
          continue;
        }
        int colon = hp.lastIndexOf(':');
        int port = -1;
        if (colon > 0) {
          try {
            port = Integer.parseInt(hp.substring(colon + 1));
          } catch (NumberFormatException notANumber) {
            port = -1;
          }
        }
        if (colon <= 0 || port < 1 || port > 65535) {
          throw new InputException("--join " + hp, "expected HOST:PORT, the --host and --cluster-port of a running node, such as 127.0.0.1:2551");
        }
        seeds.add(new Address("pekko", "manifold", hp.substring(0, colon), port));
      }
    }
    return seeds;
  }

  private static void distinct(String flag, int port, String otherFlag, int other) {
    if (port != 0 && port == other) {
      throw new InputException(flag + " " + port, "the same port as " + otherFlag + "; give each its own");
    }
  }

  /** A taken port, named by its flag, before anything starts (the node would fail later, less clearly). */
  private static void free(String flag, String host, int port) {
    if (port == 0) {
      return;
    }
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new InputException(flag + " " + port, "cannot listen on " + host + ":" + port + " (" + e.getMessage()
          + "); another process has it, or " + host + " is not this machine's; pick another port, or 0 for any free one");
    }
  }

  /** Null if something accepts connections at the address, else what went wrong. */
  private static String probe(Address a) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(a.host().get(), (Integer) a.port().get()), SEED_PROBE_MILLIS);
      return null;
    } catch (IOException e) {
      return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
  }

  private static boolean bindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException || String.valueOf(t.getMessage()).contains("Failed to bind")) {
        return true;
      }
    }
    return false;
  }

  /** The node's name, shown with each dyno it runs. */
  public String name() {
    return node.name();
  }

  public ManifoldNode node() {
    return node;
  }

  /** The node's address in the cluster, {@code pekko://manifold@HOST:PORT}: what other nodes --join. */
  public Address address() {
    return node.address();
  }

  public ActorSystem<Void> system() {
    return node.system();
  }

  /** The Up members of the cluster, as this node sees them. */
  public int members() {
    int n = 0;
    for (var member : Cluster.get(node.system()).state().getMembers()) {
      if (member.status() == MemberStatus.up()) {
        n++;
      }
    }
    return n;
  }

  /** Where the cluster keeps its state, in words. */
  public String database() {
    return database.database().description();
  }

  public String apiUrl() {
    return "http://" + host + ":" + node.apiPort();
  }

  public String routerUrl() {
    return "http://" + host + ":" + node.routerPort() + "/";
  }

  /** An app's URL on this node's router: {@code http://hello.localhost:5000/}. */
  public String appUrl(String app) {
    return "http://" + app + "." + domain + ":" + node.routerPort() + "/";
  }

  /** @see LocalManifold#up */
  public LocalManifold.Up up(String name, Path dir, Map<String, String> config, Map<String, Integer> formation, Map<String, Integer> newFormation) {
    return new AppUp(node.apps(), node.system(), user).up(name, dir, config, formation, newFormation);
  }

  /** An app by name, or null. */
  public AppHandle app(String name) {
    return node.apps().find(name).toCompletableFuture().join();
  }

  /** Completes once the node has stopped: it left, or the cluster downed it. */
  public CompletionStage<Done> whenTerminated() {
    return node.system().getWhenTerminated();
  }

  /** Whether the node stopped without being asked to (downed by the cluster, or removed). */
  public boolean removedByTheCluster() {
    return node.terminated() && !leaving.get();
  }

  /**
   * Leaves the cluster the graceful way and returns once it has: the node's dynos stop the
   * Heroku way and start again on the other nodes; on the last node, every app stops its dynos
   * first. Also what SIGTERM and Ctrl-C do.
   */
  @Override
  public void close() {
    if (!leaving.compareAndSet(false, true)) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // this is the hook
    }
    if (node.terminated()) {
      database.close();
      return;
    }
    if (others() == 0) {
      // the last node: the manifold stops, so its apps stop their dynos while the cluster still
      // runs (their log lines still reach their channels), as LocalManifold.close does
      try {
        AskPattern.<AppRegistry.Command, AppRegistry.ShutDown>ask(node.apps().registry(), AppRegistry.ShutdownAll::new,
            stopTimeout, node.system().scheduler()).toCompletableFuture().get(stopTimeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        // bounded: the leave hands off and stops what is left
      }
    }
    node.stop();
    database.close();
  }

  /** Other members that are, or are becoming, Up: where this node's dynos would go if it left. */
  private int others() {
    Cluster cluster = Cluster.get(node.system());
    int n = 0;
    for (var member : cluster.state().getMembers()) {
      MemberStatus status = member.status();
      boolean staying = status == MemberStatus.up() || status == MemberStatus.weaklyUp() || status == MemberStatus.joining();
      if (staying && !member.equals(cluster.selfMember()) && !cluster.state().getUnreachable().contains(member)) {
        n++;
      }
    }
    return n;
  }
}
