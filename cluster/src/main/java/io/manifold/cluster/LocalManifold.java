package io.manifold.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.manifold.core.InputException;
import io.manifold.core.app.AppHandle;
import io.manifold.core.app.AppRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * A manifold of one or more nodes in this JVM, on 127.0.0.1: the main job of {@code manifold up}
 * ({@code --nodes 3}), and what the end-to-end tests start. Each node serves a router and an API
 * on ports of its own, and any of them serves every app. {@link #close()} (or SIGTERM, or Ctrl-C)
 * stops every dyno the Heroku way and leaves no process behind. The fault hooks ({@link #kill},
 * {@link #stop}, {@link #partition}, {@link #heal}) are what node-loss tests and scenarios use.
 */
public final class LocalManifold implements AutoCloseable {
  private final List<ManifoldNode> nodes;
  /** The database, and the store process serving it when nodes of other processes share it. */
  private final Database.Opened database;
  private final String domain;
  private final String token;
  private final String user;
  private final Duration stopTimeout;
  /** What a node that joins later (in place of a lost one) is started with. */
  private final Config config;
  private final ManifoldNode.Runtimes runtimes;
  private final List<Runnable> onStopping = new CopyOnWriteArrayList<>();
  private final Thread shutdownHook = new Thread(this::close, "manifold-shutdown");
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
  /** The links' delays, read by every node's link proxy; null when the nodes have none. */
  private final LinkDelays links;

  private LocalManifold(
      List<ManifoldNode> nodes, Database.Opened database, Config config, String token, ManifoldNode.Runtimes runtimes, LinkDelays links) {
    Config m = config.getConfig("manifold");
    this.links = links;
    this.nodes = new CopyOnWriteArrayList<>(nodes);
    this.config = config;
    this.runtimes = runtimes;
    this.database = database;
    this.domain = m.getString("router.domain");
    this.token = token;
    this.user = m.getString("user");
    this.stopTimeout = m.getDuration("dyno.stop-grace").plusSeconds(20);
    // SIGTERM and Ctrl-C stop the manifold as close() does
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Runs {@code r} when the manifold starts to stop, before any dyno is told to. */
  public void onStopping(Runnable r) {
    onStopping.add(r);
  }

  /**
   * Starts the manifold ({@code manifold.nodes} nodes, one by default) and returns once every
   * node is an Up member and serves.
   *
   * @param overrides config over Manifold's defaults ({@code manifold.router.port},
   *     {@code manifold.api.token}, {@code manifold.nodes}, ...); without a token, one is made.
   *     Node i (from 1) gets router port {@code router.port + i - 1} and API port
   *     {@code api.port + i - 1}, or free ports when those are 0.
   * @throws InputException when a port is taken or the database cannot be used
   */
  public static LocalManifold start(Config overrides) {
    return start(overrides, ManifoldNode.Runtimes.PROCESSES);
  }

  /** As {@link #start(Config)}, each node's dynos run by what {@code runtimes} makes. */
  public static LocalManifold start(Config overrides, ManifoldNode.Runtimes runtimes) {
    Config manifoldConfig = NodeConfig.load(overrides);
    Config m = manifoldConfig.getConfig("manifold");
    int count = m.getInt("nodes");
    if (count < 1 || count > 9) {
      throw new InputException("--nodes " + count, "expected 1 to 9 nodes");
    }
    Database.Opened database = Database.open(m);
    Config config = database.database().pekkoConfig().withFallback(manifoldConfig);
    String token = m.hasPath("api.token") ? m.getString("api.token") : newToken();
    LinkDelays links = m.getBoolean("cluster.link-proxies") ? new LinkDelays() : null;
    List<ManifoldNode> started = new ArrayList<>();
    try {
      for (int i = 1; i <= count; i++) {
        Address seed = started.isEmpty() ? null : started.get(0).address();
        started.add(startNode(i, config, token, seed, runtimes, links));
      }
    } catch (RuntimeException e) {
      started.forEach(ManifoldNode::kill);
      database.close();
      throw e;
    }
    awaitDynoRegions(started, started);
    return new LocalManifold(started, database, config, token, runtimes, links);
  }

  /**
   * Node i (from 1): router port {@code router.port + i - 1} and API port {@code api.port + i - 1}
   * (free ones when those are 0), and a link proxy in front of it when {@code links} is not null.
   */
  private static ManifoldNode startNode(int i, Config config, String token, Address seed, ManifoldNode.Runtimes runtimes, LinkDelays links) {
    Config m = config.getConfig("manifold");
    int routerPort = m.getInt("router.port");
    int apiPort = m.getInt("api.port");
    LinkProxy proxy = links == null ? null
        : LinkProxy.open(m.getString("node.host"), i, links, (int) Math.min(Integer.MAX_VALUE, m.getBytes("cluster.link-buffer")));
    return ManifoldNode.start("node-" + i, config, 0,
        routerPort == 0 ? 0 : routerPort + i - 1, apiPort == 0 ? 0 : apiPort + i - 1, token, seed, runtimes, proxy);
  }

  /**
   * Returns once the dyno regions of {@code of} are known to the shard coordinator (asked through
   * the first node of {@code running}), so that dynos scaled from now on spread over them; at most
   * {@link #REGIONS_WAIT}, after which a node without a registered region only gets dynos from the
   * next rebalance, and a warning says so.
   */
  private static void awaitDynoRegions(List<ManifoldNode> running, List<ManifoldNode> of) {
    if (running.size() < 2) {
      return;
    }
    ManifoldNode asker = running.get(0);
    if (!asker.awaitDynoRegions(of.stream().map(ManifoldNode::address).toList(), REGIONS_WAIT)) {
      asker.system().log().warn("not every node's dyno region registered within {} s; new dynos may not spread over every node",
          REGIONS_WAIT.toSeconds());
    }
  }

  private static final Duration REGIONS_WAIT = Duration.ofSeconds(30);

  /** {@code manifold.data-dir}, or $XDG_DATA_HOME/manifold, or ~/.local/share/manifold. */
  static Config withDataDir(Config config) {
    if (!config.getString("manifold.data-dir").isBlank()) {
      return config;
    }
    String xdg = System.getenv("XDG_DATA_HOME");
    Path dir = xdg != null && !xdg.isBlank() ? Path.of(xdg, "manifold") : Path.of(System.getProperty("user.home"), ".local", "share", "manifold");
    return ConfigFactory.parseMap(Map.of("manifold.data-dir", dir.toString())).withFallback(config);
  }

  /** A random API token: 32 bytes from a secure generator, in hex. */
  public static String newToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Where this manifold keeps its state, in words. */
  public String database() {
    return database.database().description();
  }

  /** The nodes, in the order they were started (node-1 first); a killed or stopped node stays listed. */
  public List<ManifoldNode> nodes() {
    return List.copyOf(nodes);
  }

  public ManifoldNode node(int i) {
    return nodes.get(i - 1);
  }

  /** The first node that still runs: where this object's own calls go. */
  private ManifoldNode any() {
    return nodes.stream().filter(n -> !n.terminated()).findFirst()
        .orElseThrow(() -> new IllegalStateException("every node of this manifold has stopped"));
  }

  /**
   * Creates an app from a directory with a Procfile (none: a blank app), with its config vars,
   * scaled to {@code formation}.
   *
   * @throws InputException when the Procfile is bad or the app cannot be created (name taken, ...)
   */
  public AppHandle createApp(String name, Path dir, Map<String, String> config, Map<String, Integer> formation) {
    return appUp().create(name, dir, config, formation);
  }

  /**
   * What {@code manifold up DIR} asks for: the app made if it does not exist yet; if it does (a
   * restarted manifold found it), its code deployed again only if the Procfile or the directory
   * changed, the config vars of {@code config} that differ set, and the formation scaled only when
   * one is given. Each of these is a release or an event of its own, as on Heroku.
   *
   * @param formation null to keep a found app's formation
   * @param newFormation the formation of an app made now
   */
  public Up up(String name, Path dir, Map<String, String> config, Map<String, Integer> formation, Map<String, Integer> newFormation) {
    return appUp().up(name, dir, config, formation, newFormation);
  }

  /** An app {@link #up} made or found. */
  public record Up(AppHandle app, boolean found) {}

  private AppUp appUp() {
    ManifoldNode node = any();
    return new AppUp(node.apps(), node.system(), user);
  }

  /** An app by name, or null. */
  public AppHandle app(String name) {
    return any().apps().find(name).toCompletableFuture().join();
  }

  /** The first node's router port on 127.0.0.1. */
  public int port() {
    return node(1).routerPort();
  }

  public int apiPort() {
    return node(1).apiPort();
  }

  public String apiUrl() {
    return "http://127.0.0.1:" + apiPort();
  }

  public String token() {
    return token;
  }

  /** An app's URL on the first node's router: {@code http://hello.localhost:5000/}. */
  public String appUrl(String app) {
    return "http://" + app + "." + domain + ":" + port() + "/";
  }

  /** The first node's actor system. */
  public ActorSystem<Void> system() {
    return node(1).system();
  }

  /** Completes once every node has stopped, however it was asked to. */
  public CompletionStage<Done> whenTerminated() {
    return CompletableFuture.allOf(nodes.stream().map(n -> n.system().getWhenTerminated().toCompletableFuture())
        .toArray(CompletableFuture[]::new)).thenApply(v -> Done.getInstance());
  }

  // --- fault hooks: each returns once it has taken effect ---

  /**
   * Node i dies at once, with its dynos' processes; returns once it is gone, with the instant it
   * died: when the others stopped hearing it and its processes were sent SIGKILL (its actor system
   * takes a while longer to terminate, which no other node can tell).
   */
  public Instant kill(int i) {
    ManifoldNode victim = node(i);
    // the others stop hearing it at once, as if its machine lost power (without Artery's test
    // mode they notice only once its actor system has terminated)
    for (ManifoldNode other : nodes) {
      if (other != victim && !other.terminated() && NetworkChaos.available(other.system())) {
        NetworkChaos.blackhole(other.system(), victim.address());
      }
    }
    Instant died = Instant.now();
    victim.kill();
    return died;
  }

  /** Node i leaves the graceful way; returns once it has (its dynos stopped the Heroku way). */
  public Instant stop(int i) {
    node(i).stop();
    return Instant.now();
  }

  /**
   * A new node joins in place of node i, which must have been killed or stopped: same name, same
   * ports when they were fixed (free ones otherwise), a new address. Returns once it is an Up
   * member and serves; its share of the dynos comes to it as the cluster rebalances.
   */
  public ManifoldNode replace(int i) {
    ManifoldNode old = node(i);
    if (!old.terminated()) {
      throw new IllegalStateException(old.name() + " still runs; kill or stop it first");
    }
    ManifoldNode fresh = startNode(i, config, token, any().address(), runtimes, links);
    nodes.set(i - 1, fresh);
    awaitDynoRegions(nodes.stream().filter(n -> !n.terminated()).toList(), List.of(fresh));
    return fresh;
  }

  /**
   * Node {@code from}'s messages to node {@code to} are lost while the other way still works: a
   * one-way partition (Artery's test mode drops what {@code from} sends).
   */
  public Instant partitionOneWay(int from, int to, boolean cut) {
    ManifoldNode a = node(from);
    ManifoldNode b = node(to);
    if (!a.terminated() && !b.terminated()) {
      if (cut) {
        NetworkChaos.blackholeSend(a.system(), b.address());
      } else {
        NetworkChaos.heal(a.system(), b.address());
      }
    }
    return Instant.now();
  }

  /**
   * Cuts every link between the nodes of {@code a} and those of {@code b} (numbers from 1);
   * returns the instant the last link was cut, after which nothing crosses. The nodes see each
   * other as unreachable only once their failure detectors notice (about 1.5 s with Manifold's
   * defaults), and the Split Brain Resolver decides {@code stable-after} later.
   *
   * @throws IllegalStateException when a node has Artery's test mode off, which would make the
   *     partition a silent no-op
   */
  public Instant partition(List<Integer> a, List<Integer> b) {
    links(a, b, true);
    return Instant.now();
  }

  /**
   * Restores the links a partition cut; returns the instant the last one was restored. A node the
   * Split Brain Resolver has downed meanwhile does not come back: it has left for good.
   */
  public Instant heal(List<Integer> a, List<Integer> b) {
    links(a, b, false);
    return Instant.now();
  }

  private void links(List<Integer> a, List<Integer> b, boolean cut) {
    for (int x : a) {
      for (int y : b) {
        ManifoldNode nx = node(x);
        ManifoldNode ny = node(y);
        if (nx.terminated() || ny.terminated()) {
          continue;
        }
        if (cut) {
          NetworkChaos.blackhole(nx.system(), ny.address());
          NetworkChaos.blackhole(ny.system(), nx.address());
        } else {
          NetworkChaos.heal(nx.system(), ny.address());
          NetworkChaos.heal(ny.system(), nx.address());
        }
      }
    }
  }

  /**
   * Every byte of cluster traffic between a node of {@code a} and a node of {@code b} takes
   * {@code latency} longer, give or take up to {@code jitter}, each way (so a round trip gains
   * twice that), in order, as {@code tc netem delay} would make it; zero for both heals it. Nodes
   * on the same side are not affected, and neither is HTTP between a router and a dyno. Bytes
   * already on their way keep the delay they had. Holds for a node that later joins in place of
   * one of these (the link is the node number's). Returns the instant it applied.
   *
   * @throws IllegalStateException when the manifold was started without link proxies
   *     ({@code manifold.cluster.link-proxies = on})
   */
  public Instant linkLatency(List<Integer> a, List<Integer> b, Duration latency, Duration jitter) {
    if (links == null) {
      throw new IllegalStateException("link latency needs the nodes' link proxies, which this manifold was started without"
          + " (manifold.cluster.link-proxies = on)");
    }
    if (latency.isNegative() || jitter.isNegative()) {
      throw new IllegalArgumentException("expected a latency and jitter of 0 or more, but found " + latency + " and " + jitter);
    }
    for (int x : a) {
      for (int y : b) {
        links.set(x, y, latency, jitter);
        links.set(y, x, latency, jitter);
      }
    }
    return Instant.now();
  }

  /** Whether this manifold's nodes have link proxies, so that {@link #linkLatency} works. */
  public boolean linkProxies() {
    return links != null;
  }

  /**
   * Stops the manifold: every app stops its dynos the Heroku way (SIGTERM, grace, SIGKILL), then
   * every node leaves, all at once; returns when done. Also what SIGTERM and Ctrl-C do.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // this is the hook
    }
    onStopping.forEach(Runnable::run);
    ManifoldNode live = nodes.stream().filter(n -> !n.terminated()).findFirst().orElse(null);
    if (live != null) {
      try {
        AskPattern.<AppRegistry.Command, AppRegistry.ShutDown>ask(live.apps().registry(), AppRegistry.ShutdownAll::new,
            stopTimeout, live.system().scheduler()).toCompletableFuture().get(stopTimeout.toMillis() + 5_000, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        // bounded: the nodes' own shutdown hands off and stops what is left
      }
    }
    List<Thread> stopping = new ArrayList<>();
    for (ManifoldNode n : nodes) {
      if (!n.terminated()) {
        Thread t = new Thread(n::stop, "stop-" + n.name());
        t.start();
        stopping.add(t);
      }
    }
    for (Thread t : stopping) {
      try {
        t.join(Duration.ofMinutes(2).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    database.close();
  }
}
