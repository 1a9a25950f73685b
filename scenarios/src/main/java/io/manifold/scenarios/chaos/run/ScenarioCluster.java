package io.manifold.scenarios.chaos.run;

import io.manifold.cluster.LocalManifold;
import io.manifold.cluster.ManifoldNode;
import io.manifold.core.app.App;
import io.manifold.core.app.AppHandle;
import io.manifold.core.app.AppRegistry;
import io.manifold.core.app.AppView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The manifold a scenario runs on, as the runner sees it: which nodes run (the runner killed or
 * stopped the others, or they downed themselves), where requests may go, and the apps' views
 * asked of a node that runs. Nodes are numbered from 1, as the scenario file numbers them.
 */
final class ScenarioCluster {
  private static final Duration ASK = Duration.ofSeconds(2);

  private final LocalManifold manifold;
  /** The moment each node (by number) last started: dynos it reports from before are stale. */
  private final Instant[] started;
  /** Nodes the runner took down on purpose and has not replaced. */
  private final boolean[] takenDown;
  private final Map<String, String> appIds = new ConcurrentHashMap<>();

  ScenarioCluster(LocalManifold manifold) {
    this.manifold = manifold;
    int n = manifold.nodes().size();
    this.started = new Instant[n + 1];
    this.takenDown = new boolean[n + 1];
    Instant now = Instant.now();
    for (int i = 1; i <= n; i++) {
      started[i] = now;
    }
  }

  LocalManifold manifold() {
    return manifold;
  }

  int size() {
    return manifold.nodes().size();
  }

  void app(String name, String id) {
    appIds.put(name, id);
  }

  /** Whether node i runs: not taken down, and its actor system alive (a downed minority stops its own). */
  boolean runs(int i) {
    return !takenDown[i] && !manifold.node(i).terminated();
  }

  List<Integer> running() {
    List<Integer> r = new ArrayList<>();
    for (int i = 1; i <= size(); i++) {
      if (runs(i)) {
        r.add(i);
      }
    }
    return r;
  }

  /** The node named {@code name} ({@code node-2}) runs, and ran since {@code since}. */
  boolean runsSince(String name, Instant since) {
    for (int i = 1; i <= size(); i++) {
      if (manifold.node(i).name().equals(name)) {
        return runs(i) && (since == null || !since.isBefore(started[i]));
      }
    }
    return false;
  }

  /** A live router's port for the {@code turn}th request, among {@code via} (empty: all nodes). */
  int routerPort(List<Integer> via, long turn) {
    List<Integer> live = new ArrayList<>();
    if (via.isEmpty()) {
      live = running();
    } else {
      for (int i : via) {
        if (i <= size() && runs(i)) {
          live.add(i);
        }
      }
    }
    if (live.isEmpty()) {
      return -1;
    }
    return manifold.node(live.get((int) Math.floorMod(turn, live.size()))).routerPort();
  }

  /** The first node that runs, or null. */
  ManifoldNode anyRunning() {
    List<Integer> r = running();
    return r.isEmpty() ? null : manifold.node(r.get(0));
  }

  /** An app's view, asked through a node that runs; null when none answers in time. */
  AppView view(String app) {
    return this.<AppView>ask(app, App.GetView::new);
  }

  /** Asks an app through the first node that runs; null when it does not answer in time. */
  <T> T ask(String app, Function<ActorRef<T>, App.Command> message) {
    ManifoldNode node = anyRunning();
    String id = appIds.get(app);
    if (node == null || id == null) {
      return null;
    }
    AppHandle handle = node.apps().handle(new AppRegistry.Entry(app, id));
    try {
      return AskPattern.ask(handle.app(), message::apply, ASK, node.system().scheduler())
          .toCompletableFuture().get(ASK.toMillis() + 500, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      return null;
    }
  }

  // --- faults ---

  void kill(int i) {
    takenDown[i] = true;
    manifold.kill(i);
  }

  void stop(int i) {
    takenDown[i] = true;
    manifold.stop(i);
  }

  /** A new node in place of node i, which is down. */
  void replace(int i) {
    if (!manifold.node(i).terminated()) {
      manifold.kill(i);
    }
    manifold.replace(i);
    started[i] = Instant.now();
    takenDown[i] = false;
  }

  void partition(List<Integer> a, List<Integer> b, boolean oneWay, boolean cut) {
    if (oneWay) {
      for (int x : a) {
        for (int y : b) {
          manifold.partitionOneWay(x, y, cut);
        }
      }
    } else if (cut) {
      manifold.partition(a, b);
    } else {
      manifold.heal(a, b);
    }
  }

  /** Sets the latency of every link between the two sides, each way; zero heals it. */
  void linkLatency(List<Integer> a, List<Integer> b, Duration latency, Duration jitter) {
    manifold.linkLatency(a, b, latency, jitter);
  }

  /**
   * Node names by how a running node sees them: {@code up}, {@code unreachable}, or absent once
   * removed. Asked of the first running node other than {@code not}.
   */
  Map<String, String> members(int not) {
    for (int i : running()) {
      if (i == not) {
        continue;
      }
      Map<String, String> byName = new java.util.TreeMap<>();
      var state = Cluster.get(manifold.node(i).system()).state();
      java.util.Set<Member> unreachable = new java.util.HashSet<>();
      state.getUnreachable().forEach(unreachable::add);
      for (Member m : state.getMembers()) {
        String name = m.getRoles().stream().filter(r -> r.startsWith("name:")).map(r -> r.substring(5)).findFirst()
            .orElse(m.address().toString());
        byName.put(name, unreachable.contains(m) ? "unreachable" : m.status() == MemberStatus.up() ? "up" : m.status().toString().toLowerCase());
      }
      return byName;
    }
    return Map.of();
  }
}
