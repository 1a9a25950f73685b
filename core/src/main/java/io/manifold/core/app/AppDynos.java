package io.manifold.core.app;

import io.manifold.core.dyno.Dyno;
import io.manifold.core.dyno.DynoName;
import io.manifold.core.dyno.DynoSpec;
import io.manifold.core.dyno.DynoState;
import io.manifold.core.dyno.DynoStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * The dynos of one app, kept by its {@link App}: which run, which are stopping, their last
 * status and when it was heard. Reconciles them to a formation ({@code web.1 .. web.N} for each
 * type, missing ones started, extra ones, the highest numbers, stopped; a name reused only once the
 * dyno that had it has stopped), and keeps telling each the spec it must run ({@link Dyno.Ensure}),
 * which brings back a dyno lost with its node. One-off dynos ({@code run.N}) are outside the
 * formation.
 */
final class AppDynos {
  /** One-off dynos an app may run at once; one more is refused. */
  static final int MAX_ONE_OFFS = 50;

  private static final class Tracked {
    final RecipientRef<Dyno.Command> ref;
    final String id = UUID.randomUUID().toString();
    final Instant createdAt;
    DynoSpec spec;
    DynoStatus status;
    boolean stopping;
    boolean lost;
    long heardNanos = System.nanoTime();

    Tracked(RecipientRef<Dyno.Command> ref, Instant createdAt, DynoSpec spec) {
      this.ref = ref;
      this.createdAt = createdAt;
      this.spec = spec;
    }
  }

  private final ActorContext<App.Command> ctx;
  private final AppWiring wiring;
  private final ActorRef<DynoStatus> statusListener;
  private final ActorRef<Dyno.Stopped> stoppedListener;
  private final Map<DynoName, Tracked> dynos = new TreeMap<>();
  private long spawned;
  private int nextRun = 1;

  AppDynos(ActorContext<App.Command> ctx, AppWiring wiring, ActorRef<DynoStatus> statusListener, ActorRef<Dyno.Stopped> stoppedListener) {
    this.ctx = ctx;
    this.wiring = wiring;
    this.statusListener = statusListener;
    this.stoppedListener = stoppedListener;
  }

  /** Starts and stops formation dynos until they match {@code state} (none when {@code stopAll}). */
  void reconcile(AppState state, boolean stopAll) {
    TreeSet<DynoName> wanted = new TreeSet<>();
    if (!stopAll && state.slug() != null) {
      state.quantities().forEach((type, n) -> {
        for (int i = 1; i <= n; i++) {
          wanted.add(new DynoName(type, i));
        }
      });
    }
    dynos.forEach((name, t) -> {
      if (!t.stopping && !wanted.contains(name) && (!name.isOneOff() || stopAll)) {
        stop(t);
      }
    });
    for (DynoName name : wanted) {
      if (!dynos.containsKey(name)) {
        start(spec(state, name, state.slug().processTypes().get(name.type()), Map.of()));
      }
    }
    // a new size (ps:resize, ps:scale web=2:Standard-2X) restarts the type's dynos, as on Heroku
    dynos.forEach((name, t) -> {
      if (!t.stopping && !name.isOneOff() && t.spec.memoryQuotaMb() != memoryQuotaMb(state, name)) {
        t.spec = t.spec.withMemoryQuotaMb(memoryQuotaMb(state, name));
        t.ref.tell(new Dyno.Ensure(t.spec, statusListener));
      }
    });
  }

  /**
   * After a new release: the formation as the state asks, and every formation dyno that runs an
   * older release told the new spec, which restarts it (one-off dynos keep theirs, as on Heroku).
   */
  void rollTo(AppState state) {
    reconcile(state, false);
    int current = state.current().version();
    dynos.forEach((name, t) -> {
      if (!t.stopping && !name.isOneOff() && t.spec.release() != current) {
        t.spec = spec(state, name, state.slug().processTypes().get(name.type()), Map.of());
        t.ref.tell(new Dyno.Ensure(t.spec, statusListener));
      }
    });
  }

  /** Starts {@code run.N} with the command; null when too many one-offs run already. */
  DynoName runOneOff(AppState state, String command, Map<String, String> env) {
    long running = dynos.keySet().stream().filter(DynoName::isOneOff).count();
    if (running >= MAX_ONE_OFFS) {
      return null;
    }
    DynoName name = new DynoName(DynoName.ONE_OFF, nextRun++);
    start(spec(state, name, command, env));
    return name;
  }

  /** Restarts the running dynos that {@code which} names (all, a type, or one). */
  List<DynoName> restart(AppState state, String which) {
    List<DynoName> targets = matching(which);
    targets.forEach(name -> dynos.get(name).ref.tell(new Dyno.Restart(dynos.get(name).spec)));
    return targets;
  }

  /** Stops the named dynos for good (the formation may start them again). */
  List<DynoName> stop(String which) {
    List<DynoName> targets = matching(which);
    targets.forEach(name -> stop(dynos.get(name)));
    return targets;
  }

  private List<DynoName> matching(String which) {
    List<DynoName> out = new ArrayList<>();
    dynos.forEach((name, t) -> {
      if (!t.stopping && (which == null || name.toString().equals(which) || name.type().equals(which))) {
        out.add(name);
      }
    });
    return out;
  }

  /**
   * The app's periodic check: every running dyno is told its spec again (a dyno lost with its
   * node starts again, elsewhere); a stopping one its stop. A dyno not heard of for three checks is
   * taken for lost: returned, with a status that keeps requests waiting, as for a booting dyno.
   */
  List<DynoStatus> check() {
    List<DynoStatus> lostNow = new ArrayList<>();
    long lostAfter = wiring.reconcileEvery().multipliedBy(3).toNanos();
    long now = System.nanoTime();
    for (java.util.Iterator<Map.Entry<DynoName, Tracked>> it = dynos.entrySet().iterator(); it.hasNext(); ) {
      Tracked t = it.next().getValue();
      boolean silent = now - t.heardNanos > lostAfter;
      if (t.stopping) {
        if (silent) {
          it.remove(); // gone with its node: its name may be used again
        } else {
          t.ref.tell(new Dyno.Stop(stoppedListener));
        }
        continue;
      }
      t.ref.tell(new Dyno.Ensure(t.spec, statusListener));
      if (silent && !t.lost) {
        t.lost = true;
        t.status = new DynoStatus(t.spec.app(), t.spec.name(), DynoState.STARTING, wiring.dynoSettings().clock().instant(),
            null, t.spec.release(), t.spec.command(), t.status == null ? "?" : t.status.node());
        lostNow.add(t.status);
      }
    }
    return lostNow;
  }

  /** Keeps a dyno's new status; false if the dyno is not (or no longer) ours. */
  boolean changed(DynoStatus status) {
    Tracked t = dynos.get(status.name());
    if (t == null) {
      return false;
    }
    t.heardNanos = System.nanoTime();
    t.lost = false;
    if (t.stopping && status.state() != DynoState.DOWN) {
      return false;
    }
    t.status = status;
    if (status.state() == DynoState.COMPLETE) {
      dynos.remove(status.name()); // a one-off that has ended is gone
    }
    return true;
  }

  /** A dyno has stopped: forget it. */
  void stopped(DynoName name) {
    Tracked t = dynos.get(name);
    if (t != null && t.stopping) {
      dynos.remove(name);
    }
  }

  /** Every dyno's last status, for routers that join late. */
  List<DynoStatus> statuses() {
    return dynos.values().stream().filter(t -> t.status != null && !t.stopping).map(t -> t.status).toList();
  }

  boolean isEmpty() {
    return dynos.isEmpty();
  }

  List<AppView.DynoView> views(AppState state) {
    List<AppView.DynoView> out = new ArrayList<>();
    dynos.forEach((name, t) -> {
      if (t.status != null && !t.stopping) {
        out.add(new AppView.DynoView(t.id, t.status, name.isOneOff() ? "Basic" : state.size(name.type()), t.createdAt, t.status.node()));
      }
    });
    return out;
  }

  private void start(DynoSpec spec) {
    RecipientRef<Dyno.Command> ref = wiring.host() != null
        ? wiring.host().dyno(spec.app(), spec.name())
        : ctx.spawn(Dyno.idle(wiring.runtime(), wiring.dynoSettings(), app -> wiring.logs(), wiring.node(), spec.name()),
            spec.name() + "-" + (++spawned));
    Instant now = wiring.dynoSettings().clock().instant();
    Tracked t = new Tracked(ref, now, spec);
    // shown as starting at once, before the dyno's own first report
    t.status = new DynoStatus(spec.app(), spec.name(), DynoState.STARTING, now, null, spec.release(), spec.command(), wiring.node());
    dynos.put(spec.name(), t);
    ref.tell(new Dyno.Ensure(spec, statusListener));
  }

  private void stop(Tracked t) {
    t.stopping = true;
    t.heardNanos = System.nanoTime();
    t.ref.tell(new Dyno.Stop(stoppedListener));
  }

  private static DynoSpec spec(AppState state, DynoName name, String command, Map<String, String> extraEnv) {
    Map<String, String> env = new TreeMap<>(state.config());
    env.putAll(extraEnv);
    Release r = state.current();
    return new DynoSpec(state.name(), name, command, env, r.version(), Path.of(r.slug().dir()), memoryQuotaMb(state, name));
  }

  /** The memory of the dyno's size; one-off dynos run at the default size, as {@code ps} shows them. */
  private static int memoryQuotaMb(AppState state, DynoName name) {
    String size = name.isOneOff() ? AppState.DEFAULT_SIZE : state.size(name.type());
    return DynoSize.find(size).map(DynoSize::memoryMb).orElse(DynoSpec.DEFAULT_MEMORY_QUOTA_MB);
  }
}
