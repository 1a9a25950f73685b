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
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * The dynos of one app, kept by its {@link App}: which run, which are stopping, their last
 * status. Reconciles them to a formation: {@code web.1 .. web.N} for each type, missing ones
 * started, extra ones (the highest numbers) stopped; a name is reused only once the dyno that had
 * it has stopped. One-off dynos ({@code run.N}) are outside the formation.
 */
final class AppDynos {
  /** One-off dynos an app may run at once; one more is refused. */
  static final int MAX_ONE_OFFS = 50;

  private static final class Tracked {
    final ActorRef<Dyno.Command> ref;
    final String id = UUID.randomUUID().toString();
    final Instant createdAt;
    DynoStatus status;
    boolean stopping;
    int release;

    Tracked(ActorRef<Dyno.Command> ref, Instant createdAt, int release) {
      this.ref = ref;
      this.createdAt = createdAt;
      this.release = release;
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

  /** Starts and stops formation dynos until they match {@code state} (none once it is gone). */
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
        stop(name, t);
      }
    });
    for (DynoName name : wanted) {
      if (!dynos.containsKey(name)) {
        start(spec(state, name, state.slug().processTypes().get(name.type()), Map.of()));
      }
    }
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

  /**
   * After a new release: the formation's dynos as the state asks, and every formation dyno that
   * runs an older release restarted into the new one (one-off dynos keep theirs, as on Heroku).
   */
  void rollTo(AppState state) {
    reconcile(state, false);
    int current = state.current().version();
    dynos.forEach((name, t) -> {
      if (!t.stopping && !name.isOneOff() && t.release != current) {
        restart(state, name, t);
      }
    });
  }

  /** Restarts the running dynos that {@code which} names (all, a type, or one), into the state's release. */
  List<DynoName> restart(AppState state, String which) {
    List<DynoName> targets = matching(which);
    targets.forEach(name -> restart(state, name, dynos.get(name)));
    return targets;
  }

  private void restart(AppState state, DynoName name, Tracked t) {
    String command = name.isOneOff() ? t.status.command() : state.slug().processTypes().get(name.type());
    t.release = state.current().version();
    t.ref.tell(new Dyno.Restart(spec(state, name, command, Map.of())));
  }

  /** Stops the named dynos for good (the formation may start them again). */
  List<DynoName> stop(String which) {
    List<DynoName> targets = matching(which);
    targets.forEach(name -> stop(name, dynos.get(name)));
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

  /** Keeps a dyno's new status; false if the dyno is not (or no longer) ours. */
  boolean changed(DynoStatus status) {
    Tracked t = dynos.get(status.name());
    if (t == null) {
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

  boolean isEmpty() {
    return dynos.isEmpty();
  }

  List<AppView.DynoView> views(AppState state, String node) {
    List<AppView.DynoView> out = new ArrayList<>();
    dynos.forEach((name, t) -> {
      if (t.status != null && !t.stopping) {
        out.add(new AppView.DynoView(t.id, t.status, name.isOneOff() ? "Basic" : state.size(name.type()), t.createdAt, node));
      }
    });
    return out;
  }

  private void start(DynoSpec spec) {
    ActorRef<Dyno.Command> ref = ctx.spawn(
        Dyno.create(spec, wiring.runtime(), wiring.dynoSettings(), wiring.logs(), statusListener),
        spec.name() + "-" + (++spawned));
    Instant now = wiring.dynoSettings().clock().instant();
    Tracked t = new Tracked(ref, now, spec.release());
    // shown as starting at once, before the dyno's own first report
    t.status = new DynoStatus(spec.app(), spec.name(), DynoState.STARTING, now, null, spec.release(), spec.command());
    dynos.put(spec.name(), t);
  }

  private void stop(DynoName name, Tracked t) {
    t.stopping = true;
    t.ref.tell(new Dyno.Stop(stoppedListener));
  }

  private static DynoSpec spec(AppState state, DynoName name, String command, Map<String, String> extraEnv) {
    Map<String, String> env = new TreeMap<>(state.config());
    env.putAll(extraEnv);
    Release r = state.current();
    return new DynoSpec(state.name(), name, command, env, r.version(), Path.of(r.slug().dir()));
  }
}
