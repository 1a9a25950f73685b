package io.manifold.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.manifold.core.app.Apps;
import io.manifold.core.dyno.DynoRuntime;
import io.manifold.core.dyno.ProcessRuntime;
import io.manifold.http.metrics.NodeMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.remote.RemoteActorRefProvider;
import org.apache.pekko.remote.artery.ArteryTransport;

/**
 * One node of a manifold: an actor system in the Pekko cluster, with its share of the apps, dynos
 * and log channels, its router (front on {@link #routerPort()}) and its API
 * ({@link #apiPort()}). Any node's router and API serve the whole cluster.
 */
public final class ManifoldNode {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final String name;
  private final ActorSystem<Void> system;
  private final DynoRuntime runtime;
  /** The node's processes, whatever runtime its dynos were given (the scenario runner's wraps it). */
  private final ProcessRuntime processes;
  private final NodeGuardian.Started started;
  private final Duration stopTimeout;
  /** In front of the node's Artery when links can be slowed; null when not. */
  private final LinkProxy linkProxy;

  private ManifoldNode(
      String name, ActorSystem<Void> system, DynoRuntime runtime, ProcessRuntime processes, NodeGuardian.Started started, Duration stopTimeout,
      LinkProxy linkProxy) {
    this.linkProxy = linkProxy;
    this.name = name;
    this.system = system;
    this.runtime = runtime;
    this.processes = processes;
    this.started = started;
    this.stopTimeout = stopTimeout;
  }

  /**
   * Starts a node and returns once it is an Up member of the cluster and serves.
   *
   * @param config Manifold's whole config (the database's plugin settings included), best made by
   *     {@link NodeConfig#load}, which lets flags, -D properties and application.conf override the
   *     cluster defaults
   * @param seed the node to join; null to join {@code pekko.cluster.seed-nodes} if there are any,
   *     else to start a new cluster
   */
  static ManifoldNode start(String name, Config config, int clusterPort, int routerPort, int apiPort, String token, Address seed) {
    return start(name, config, clusterPort, routerPort, apiPort, token, seed, Runtimes.PROCESSES);
  }

  /**
   * What runs a node's dynos: given the node's name and its process runtime (real processes from
   * the Procfile), the runtime its dynos get. The scenario runner adds synthetic dynos this way.
   */
  @FunctionalInterface
  public interface Runtimes {
    Runtimes PROCESSES = (node, processes) -> processes;

    DynoRuntime create(String node, ProcessRuntime processes);
  }

  /** As above, with the dynos' runtime made by {@code runtimes}. */
  static ManifoldNode start(
      String name, Config config, int clusterPort, int routerPort, int apiPort, String token, Address seed, Runtimes runtimes) {
    return start(name, config, clusterPort, routerPort, apiPort, token, seed, runtimes, null);
  }

  /**
   * As above, behind {@code proxy} when it is not null: the other nodes reach this one through it
   * (its port is the node's canonical address, {@code clusterPort} is ignored), and it is closed
   * when the node's actor system terminates, however that happens.
   */
  static ManifoldNode start(
      String name, Config config, int clusterPort, int routerPort, int apiPort, String token, Address seed, Runtimes runtimes,
      LinkProxy proxy) {
    try {
      return startNode(name, config, clusterPort, routerPort, apiPort, token, seed, runtimes, proxy);
    } catch (RuntimeException e) {
      if (proxy != null) {
        proxy.close();
      }
      throw e;
    }
  }

  private static ManifoldNode startNode(
      String name, Config config, int clusterPort, int routerPort, int apiPort, String token, Address seed, Runtimes runtimes,
      LinkProxy proxy) {
    Config m = config.getConfig("manifold");
    NodeSettings settings = NodeSettings.fromConfig(
        ConfigFactory.parseMap(Map.of("router.port", routerPort, "api.port", apiPort)).withFallback(m), token, name);
    Duration stopTimeout = settings.dynos().stopGrace().plusSeconds(20);
    Map<String, Object> node = new HashMap<>();
    node.put("pekko.remote.artery.canonical.port", proxy == null ? clusterPort : proxy.port());
    node.put("pekko.remote.artery.canonical.hostname", m.getString("node.host"));
    if (proxy != null) {
      // Artery listens on a free port of its own, known only to the proxy in front of it
      node.put("pekko.remote.artery.bind.port", 0);
    }
    // every member can name the node of a dyno (Members)
    node.put("pekko.cluster.roles", java.util.List.of(Members.ROLE_PREFIX + name));
    // a dyno handed off when its node leaves gets its grace period: the phases must wait for it
    node.put("pekko.coordinated-shutdown.phases.cluster-sharding-shutdown-region.timeout", stopTimeout.toMillis() + "ms");
    node.put("pekko.cluster.sharding.handoff-timeout", stopTimeout.toMillis() + "ms");
    // terminate() is a crash (kill); a graceful stop runs coordinated shutdown itself
    node.put("pekko.coordinated-shutdown.run-by-actor-system-terminate", "off");
    // only what must differ per node goes over the caller's config: the cluster defaults are
    // under the caller's settings (NodeConfig), so pekko.cluster.* can be overridden
    Config full = ConfigFactory.parseMap(node).withFallback(NodeConfig.withClusterDefaults(config)).resolve();
    ProcessRuntime processes = new ProcessRuntime(m.getDuration("dyno.port-probe-interval"), stopTimeout.plusSeconds(5), m.getString("node.host"));
    DynoRuntime runtime = runtimes.create(name, processes);
    CompletableFuture<NodeGuardian.Started> started = new CompletableFuture<>();
    ActorSystem<Void> system = ActorSystem.create(NodeGuardian.create(settings, runtime, started), "manifold", full);
    if (proxy != null) {
      // before the join: the seed's first message to this node already comes through the proxy
      system.getWhenTerminated().thenRun(proxy::close);
      try {
        proxy.serve(arteryBindPort(system), Cluster.get(system).selfMember().uniqueAddress().longUid());
      } catch (RuntimeException e) {
        system.terminate();
        runtime.close();
        throw e;
      }
    }
    Cluster cluster = Cluster.get(system);
    boolean seedNodes = !full.getStringList("pekko.cluster.seed-nodes").isEmpty();
    if (seed != null) {
      cluster.manager().tell(Join.create(seed));
    } else if (!seedNodes) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    } // else the cluster extension joins the seed nodes by itself
    try {
      NodeGuardian.Started s = started.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (cluster.selfMember().status() != MemberStatus.up() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      if (cluster.selfMember().status() != MemberStatus.up()) {
        throw new TimeoutException("not an Up member of the cluster after " + START_TIMEOUT.toSeconds() + " s"
            + (seed != null ? "; is " + seed + " running?"
                : seedNodes ? "; does any of " + full.getStringList("pekko.cluster.seed-nodes") + " run, with exactly that host?" : ""));
      }
      return new ManifoldNode(name, system, runtime, processes, s, stopTimeout, proxy);
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      system.terminate();
      runtime.close();
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      if (cause instanceof java.net.BindException || String.valueOf(cause.getMessage()).contains("Address already in use")) {
        throw new io.manifold.core.InputException("--port " + routerPort + " / --api-port " + apiPort,
            "a port is taken (" + cause.getMessage() + "); pick others, or 0 for any free one");
      }
      throw new IllegalStateException("node " + name + " did not start: " + cause.getMessage(), cause);
    }
  }

  /** Where this node's Artery listens: its canonical port, unless a link proxy is in front of it. */
  private static int arteryBindPort(ActorSystem<?> system) {
    var classic = (ExtendedActorSystem) Adapter.toClassic(system);
    var transport = (ArteryTransport) ((RemoteActorRefProvider) classic.provider()).transport();
    return (Integer) transport.bindAddress().address().port().get();
  }

  public String name() {
    return name;
  }

  /** The node's address in the cluster (pekko://manifold@127.0.0.1:port). */
  public Address address() {
    return Cluster.get(system).selfMember().address();
  }

  public int routerPort() {
    return started.routerPort();
  }

  public int apiPort() {
    return started.apiPort();
  }

  public Apps apps() {
    return started.apps();
  }

  public NodeMetrics metrics() {
    return started.metrics();
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /**
   * The dynos whose processes run on this node now, by this node's own runtime: the truth that
   * the apps' views ({@code ps}, which say where each dyno reported from) are checked against.
   * Empty once the node is gone.
   */
  public List<ProcessRuntime.Live> processes() {
    return processes.live();
  }

  LinkProxy linkProxy() {
    return linkProxy;
  }

  public boolean terminated() {
    return system.whenTerminated().isCompleted();
  }

  /** Leaves the cluster the graceful way: its dynos stop the Heroku way and start again elsewhere. */
  public void stop() {
    CoordinatedShutdown.get(system).run(CoordinatedShutdown.unknownReason());
    awaitTermination();
  }

  /** Dies at once, as a machine that loses power: no leave, its processes killed with it. */
  public void kill() {
    // a process runtime starts nothing after this: its dynos see their processes die and would
    // start them again while the system terminates
    runtime.killAll();
    quietlyClosePools();
    system.terminate();
    awaitTermination();
    runtime.close();
  }

  /** Client pools (drains, dynos' connections) closed first: else each logs an error as the system goes. */
  /**
   * Waits (at most {@code within}) until the dynos' shard coordinator knows the dyno region of each
   * node of {@code nodes}. A node that is Up but whose region has not registered yet gets no new
   * dynos, and sharding moves none to it before its next rebalance (10 s): a manifold whose
   * formation is scaled in that moment would run all of it on the other nodes.
   *
   * @return whether every region registered in time
   */
  boolean awaitDynoRegions(java.util.Collection<Address> nodes, Duration within) {
    @SuppressWarnings("unchecked")
    ActorRef<ClusterShardingQuery> state = (ActorRef<ClusterShardingQuery>) (ActorRef<?>) ClusterSharding.get(system).shardState();
    Duration ask = Duration.ofSeconds(2);
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        ShardRegion.ClusterShardingStats stats = AskPattern.<ClusterShardingQuery, ShardRegion.ClusterShardingStats>ask(state,
            replyTo -> new GetClusterShardingStats(Entities.DYNO, ask, replyTo), ask.plusSeconds(1), system.scheduler())
            .toCompletableFuture().get(ask.plusSeconds(2).toMillis(), TimeUnit.MILLISECONDS);
        if (stats.getRegions().keySet().containsAll(nodes)) {
          return true;
        }
        Thread.sleep(100);
      } catch (ExecutionException | TimeoutException e) {
        // the coordinator is not there yet (it starts on the oldest node): ask again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  private void quietlyClosePools() {
    try {
      org.apache.pekko.http.javadsl.Http.get(system).shutdownAllConnectionPools().toCompletableFuture().get(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // bounded: the pools go with the system anyway
    }
  }

  private void awaitTermination() {
    try {
      system.getWhenTerminated().toCompletableFuture().get(stopTimeout.toMillis() + 20_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // bounded: the runtime's shutdown task killed what was left
    }
  }
}
