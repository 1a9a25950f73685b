package io.manifold.scenarios.chaos.run;

import io.manifold.core.app.App;
import io.manifold.core.app.AppView;
import io.manifold.core.app.Quantity;
import io.manifold.scenarios.chaos.Scenario;
import io.manifold.scenarios.chaos.Scenario.FaultDef;
import io.manifold.sim.random.RandomStreams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Applies a scenario's faults at their times and heals those that last when their time is up;
 * {@link #healAll()} heals whatever is still in effect, whatever happened (an abort, an
 * exception), so that a run always ends with every partition healed, every link's latency gone,
 * every dyno fault lifted and maintenance off. A node killed or stopped without a 'for' stays down: the run is over.
 *
 * <p>Dynos are chosen when the fault fires, among the app's dynos of the type at that moment,
 * sorted by name, with the fault's own seeded stream: the same seed hits the same names.
 */
final class FaultInjector {
  private final Scenario scenario;
  private final ScenarioCluster cluster;
  private final DynoFaults dynos;
  private final RandomStreams streams;
  private final LongSupplier clock;
  private final Consumer<FaultRecord> onChange;
  private final ScheduledExecutorService timer;
  /** Faults in effect, by index, with what heals them; emptied by healAll. */
  private final Map<Integer, Runnable> heals = new ConcurrentHashMap<>();
  private final List<FaultRecord> records = new CopyOnWriteArrayList<>();
  private final String user;

  /** What became of one fault. Times in nanoseconds since t = 0; -1 while unknown. */
  static final class FaultRecord {
    final FaultDef def;
    volatile long firedNanos = -1;
    volatile long healedNanos = -1;
    volatile String target = "";
    volatile String problem;
    /** For a node fault: the first time another node saw it unreachable, and saw it gone. */
    volatile long unreachableNanos = -1;
    volatile long removedNanos = -1;
    /** The dynos on the node when it went, by app: where they must come back. */
    volatile Map<String, List<String>> lostDynos = Map.of();

    FaultRecord(FaultDef def) {
      this.def = def;
    }
  }

  FaultInjector(Scenario scenario, ScenarioCluster cluster, DynoFaults dynos, RandomStreams streams, LongSupplier clock,
      String user, Consumer<FaultRecord> onChange) {
    this.scenario = scenario;
    this.cluster = cluster;
    this.dynos = dynos;
    this.streams = streams;
    this.clock = clock;
    this.user = user;
    this.onChange = onChange;
    this.timer = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "faults");
      t.setDaemon(true);
      return t;
    });
    for (FaultDef f : scenario.faults()) {
      records.add(new FaultRecord(f));
    }
  }

  List<FaultRecord> records() {
    return List.copyOf(records);
  }

  /** Schedules every fault relative to t = 0, which is {@code clock}'s zero. */
  void start() {
    for (FaultRecord r : records) {
      long delay = r.def.at().toNanos() - clock.getAsLong();
      timer.schedule(() -> fire(r), Math.max(0, delay), TimeUnit.NANOSECONDS);
    }
  }

  private void fire(FaultRecord r) {
    r.firedNanos = clock.getAsLong();
    try {
      Runnable heal = apply(r);
      if (heal != null && r.def.lasts() != null) {
        heals.put(r.def.index(), heal);
        long delay = r.def.at().plus(r.def.lasts()).toNanos() - clock.getAsLong();
        timer.schedule(() -> heal(r), Math.max(0, delay), TimeUnit.NANOSECONDS);
      } else if (heal != null) {
        heals.put(r.def.index(), heal);
      }
    } catch (RuntimeException e) {
      r.problem = "could not apply it: " + e.getMessage();
    }
    onChange.accept(r);
  }

  private void heal(FaultRecord r) {
    Runnable heal = heals.remove(r.def.index());
    if (heal == null) {
      return;
    }
    try {
      heal.run();
    } catch (RuntimeException e) {
      r.problem = (r.problem == null ? "" : r.problem + "; ") + "could not heal it: " + e.getMessage();
    }
    r.healedNanos = clock.getAsLong();
    onChange.accept(r);
  }

  /**
   * Heals every fault still in effect (those without a 'for' and those whose time has not come),
   * then stops scheduling. Faults that have not fired never will.
   */
  void healAll() {
    timer.shutdownNow();
    try {
      // a fault being applied now (a graceful stop takes its grace period) registers its heal first
      timer.awaitTermination(90, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (FaultRecord r : records) {
      if (heals.containsKey(r.def.index())) {
        heal(r);
      }
    }
  }

  /** Does what the fault does; returns what undoes it, or null when nothing can (a crash). */
  private Runnable apply(FaultRecord r) {
    Scenario.Fault f = r.def.fault();
    if (f instanceof Scenario.KillNode k) {
      noteLost(r, k.node());
      r.target = nodeName(k.node());
      cluster.kill(k.node());
      return r.def.lasts() == null ? null : () -> cluster.replace(k.node());
    }
    if (f instanceof Scenario.StopNode s) {
      noteLost(r, s.node());
      r.target = nodeName(s.node());
      cluster.stop(s.node());
      return r.def.lasts() == null ? null : () -> cluster.replace(s.node());
    }
    if (f instanceof Scenario.RestartNode rn) {
      noteLost(r, rn.node());
      r.target = nodeName(rn.node());
      if (rn.graceful()) {
        cluster.stop(rn.node());
      } else {
        cluster.kill(rn.node());
      }
      cluster.replace(rn.node());
      return null;
    }
    if (f instanceof Scenario.Partition p) {
      r.target = p.side() + (p.oneWay() ? " -/-> " : " | ") + p.other();
      cluster.partition(p.side(), p.other(), p.oneWay(), true);
      return () -> cluster.partition(p.side(), p.other(), p.oneWay(), false);
    }
    if (f instanceof Scenario.LinkLatency l) {
      r.target = l.side() + " <-> " + l.other();
      cluster.linkLatency(l.side(), l.other(), l.latency(), l.jitter());
      return () -> cluster.linkLatency(l.side(), l.other(), Duration.ZERO, Duration.ZERO);
    }
    if (f instanceof Scenario.Scale s) {
      Map<String, Quantity> q = new LinkedHashMap<>();
      s.quantities().forEach((type, n) -> q.put(type, Quantity.absolute(n)));
      r.target = s.app();
      expect(cluster.ask(s.app(), reply -> new App.Scale(q, Map.of(), user, reply)), "scale");
      return null;
    }
    if (f instanceof Scenario.RestartAll ra) {
      r.target = ra.app();
      expect(cluster.ask(ra.app(), reply -> new App.Restart(null, user, reply)), "restart");
      return null;
    }
    if (f instanceof Scenario.Maintenance m) {
      r.target = m.app();
      expect(cluster.ask(m.app(), reply -> new App.SetMaintenance(true, user, reply)), "maintenance on");
      return () -> expect(cluster.ask(m.app(), reply -> new App.SetMaintenance(false, user, reply)), "maintenance off");
    }
    if (f instanceof Scenario.ConfigChange c) {
      r.target = c.app();
      AppView before = cluster.view(c.app());
      if (before == null) {
        throw new IllegalStateException("app " + c.app() + " did not answer");
      }
      Map<String, String> config = before.state().config();
      Map<String, String> previous = new HashMap<>();
      c.set().keySet().forEach(k -> previous.put(k, config.get(k)));
      expect(cluster.ask(c.app(), reply -> new App.SetConfig(c.set(), user, reply)), "config set");
      return () -> expect(cluster.ask(c.app(), reply -> new App.SetConfig(previous, user, reply)), "config restore");
    }
    if (f instanceof Scenario.DynoFault d) {
      return applyToDynos(r, d);
    }
    throw new IllegalStateException("unknown fault " + f);
  }

  private Runnable applyToDynos(FaultRecord r, Scenario.DynoFault d) {
    List<String> chosen = choose(r.def.index(), d.dynos());
    if (chosen.isEmpty()) {
      r.problem = "no dyno to hit: " + d.dynos().describe() + " has none running";
      return null;
    }
    r.target = d.dynos().app() + "/" + String.join(",", chosen);
    String app = d.dynos().app();
    Scenario.DynoEffect e = d.effect();
    for (String dyno : chosen) {
      if (e instanceof Scenario.Crash) {
        dynos.crash(app, dyno);
      } else if (e instanceof Scenario.CrashLoop) {
        dynos.crashLoop(app, dyno, true);
      } else if (e instanceof Scenario.Hang) {
        dynos.hang(app, dyno, true);
      } else if (e instanceof Scenario.Slow s) {
        dynos.slow(app, dyno, s.extra());
      } else if (e instanceof Scenario.Errors er) {
        dynos.errors(app, dyno, er.share());
      } else if (e instanceof Scenario.Leak l) {
        dynos.leak(app, dyno, l.bytesPerRequest());
      }
    }
    if (e instanceof Scenario.Crash) {
      return null;
    }
    return () -> {
      for (String dyno : chosen) {
        if (e instanceof Scenario.CrashLoop) {
          dynos.crashLoop(app, dyno, false);
        } else if (e instanceof Scenario.Hang) {
          dynos.hang(app, dyno, false);
        } else if (e instanceof Scenario.Slow) {
          dynos.slow(app, dyno, null);
        } else if (e instanceof Scenario.Errors) {
          dynos.errors(app, dyno, 0);
        } else if (e instanceof Scenario.Leak) {
          dynos.leak(app, dyno, 0);
        }
      }
    };
  }

  /**
   * The dynos a selector hits now: the one it names, or among the type's dynos in the app's
   * formation (web.1 .. web.N, whatever state they are in), a seeded choice of count or percent
   * of them, or all.
   */
  List<String> choose(int fault, Scenario.Selector s) {
    if (s.dyno() != null) {
      return List.of(s.dyno());
    }
    AppView view = cluster.view(s.app());
    int n = view == null ? 0 : view.state().quantities().getOrDefault(s.type(), 0);
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      names.add(s.type() + "." + i);
    }
    int k = s.count() != null ? Math.min(n, s.count()) : s.percent() != null ? (int) Math.ceil(s.percent() * n) : n;
    SplittableRandom random = streams.stream("faults/" + fault + "/dynos");
    Collections.shuffle(names, new java.util.Random(random.nextLong()));
    List<String> chosen = new ArrayList<>(names.subList(0, k));
    chosen.sort((a, b) -> Integer.compare(Integer.parseInt(a.substring(a.indexOf('.') + 1)), Integer.parseInt(b.substring(b.indexOf('.') + 1))));
    return chosen;
  }

  private void noteLost(FaultRecord r, int node) {
    String name = nodeName(node);
    Map<String, List<String>> lost = new LinkedHashMap<>();
    FormationWatch.Sample latest = latestSample;
    if (latest != null) {
      latest.apps().forEach((app, sample) -> {
        List<String> on = new ArrayList<>();
        sample.nodeOf().forEach((dyno, where) -> {
          if (where.startsWith(name + ":")) {
            on.add(dyno);
          }
        });
        if (!on.isEmpty()) {
          lost.put(app, on);
        }
      });
    }
    r.lostDynos = lost;
  }

  private volatile FormationWatch.Sample latestSample;

  /** The watch's latest look, for knowing which dynos a node takes with it. */
  void seen(FormationWatch.Sample s) {
    latestSample = s;
    long now = s.atNanos();
    for (FaultRecord r : records) {
      if (r.firedNanos < 0 || !(r.def.fault() instanceof Scenario.KillNode || r.def.fault() instanceof Scenario.StopNode
          || r.def.fault() instanceof Scenario.RestartNode || r.def.fault() instanceof Scenario.Partition)) {
        continue;
      }
      for (String name : victims(r)) {
        String status = s.members().get(name);
        if (r.unreachableNanos < 0 && (status == null || status.equals("unreachable") || status.equals("down"))) {
          r.unreachableNanos = now;
        }
        if (r.removedNanos < 0 && status == null && r.unreachableNanos >= 0) {
          r.removedNanos = now;
        }
      }
    }
  }

  private List<String> victims(FaultRecord r) {
    Scenario.Fault f = r.def.fault();
    if (f instanceof Scenario.KillNode k) {
      return List.of(nodeName(k.node()));
    }
    if (f instanceof Scenario.StopNode s) {
      return List.of(nodeName(s.node()));
    }
    if (f instanceof Scenario.RestartNode rn) {
      return List.of(nodeName(rn.node()));
    }
    return List.of();
  }

  private String nodeName(int node) {
    return cluster.manifold().node(node).name();
  }

  private static void expect(App.Outcome o, String what) {
    if (o == null) {
      throw new IllegalStateException(what + ": the app did not answer in time");
    }
    if (!o.accepted()) {
      throw new IllegalStateException(what + ": " + o.message());
    }
  }

  /** Stops the timer without healing (after healAll, or when the run could not start). */
  void close() {
    timer.shutdownNow();
  }
}
