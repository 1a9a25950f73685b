package io.manifold.core.app;

import io.manifold.core.CborSerializable;
import io.manifold.core.dyno.Dyno;
import io.manifold.core.dyno.DynoName;
import io.manifold.core.dyno.DynoRuntime;
import io.manifold.core.dyno.DynoSettings;
import io.manifold.core.dyno.DynoSpec;
import io.manifold.core.dyno.DynoStatus;
import io.manifold.core.logs.LogChannel;
import io.manifold.core.logs.LogLine;
import io.manifold.core.procfile.ProcessType;
import io.manifold.core.routing.Router;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * An app: its formation, config vars and releases, and the dynos that run them. The app
 * reconciles its dynos to its formation: {@code web.1 .. web.N} for each type, starting the
 * missing ones and stopping the extra ones (highest numbers first). A dyno name is only reused once
 * the dyno that had it has stopped. Every change is an event in the app's log, as Heroku's API
 * writes it ({@code app[api]: Scale to web=3 by user ...}).
 */
public final class App extends AbstractBehavior<App.Command> {

  public sealed interface Command extends CborSerializable {}

  /** Changes the quantities of the named process types. */
  public record Scale(Map<String, Integer> quantities, ActorRef<Outcome> replyTo) implements Command {}

  /** Sets config vars (a null value unsets one): a new release, and every dyno restarts into it. */
  public record SetConfig(Map<String, String> changes, ActorRef<Outcome> replyTo) implements Command {}

  /** Restarts every dyno, or those of one process type, or one dyno ({@code web.1}). */
  public record Restart(String which, ActorRef<Outcome> replyTo) implements Command {}

  public record GetInfo(ActorRef<Info> replyTo) implements Command {}

  /** Stops every dyno gracefully, then the app; {@link Outcome} once all are down. */
  public record Shutdown(ActorRef<Outcome> replyTo) implements Command {}

  /** The answer to a change: accepted, or rejected with a reason a person can act on. */
  public record Outcome(boolean accepted, String message) implements CborSerializable {
    static Outcome ok(String message) {
      return new Outcome(true, message);
    }

    static Outcome rejected(String message) {
      return new Outcome(false, message);
    }
  }

  public record Info(String name, Formation formation, Release release, List<DynoStatus> dynos) implements CborSerializable {}

  private sealed interface Internal extends Command, NoSerializationVerificationNeeded {}

  private record DynoChanged(DynoStatus status) implements Internal {}

  private record DynoStopped(DynoName name) implements Internal {}

  /** The bound on a process type's quantity, as Heroku's default limit. */
  public static final int MAX_QUANTITY = 100;

  private final AppSpec spec;
  private final DynoRuntime runtime;
  private final DynoSettings dynoSettings;
  private final ActorRef<LogChannel.Command> logs;
  private final ActorRef<Router.Command> router;
  private final ActorRef<DynoStatus> statusAdapter;
  private final ActorRef<Dyno.Stopped> stoppedAdapter;

  private Formation formation;
  private final List<Release> releases = new ArrayList<>();
  private final Map<DynoName, ActorRef<Dyno.Command>> running = new TreeMap<>();
  private final Map<DynoName, ActorRef<Dyno.Command>> stopping = new HashMap<>();
  private final Map<DynoName, DynoStatus> statuses = new TreeMap<>();
  private final List<ActorRef<Outcome>> shutdownReplies = new ArrayList<>();
  private boolean shuttingDown;
  private long spawned;

  public static Behavior<Command> create(
      AppSpec spec,
      DynoRuntime runtime,
      DynoSettings dynoSettings,
      ActorRef<LogChannel.Command> logs,
      ActorRef<Router.Command> router) {
    return Behaviors.setup(ctx -> new App(ctx, spec, runtime, dynoSettings, logs, router));
  }

  private App(
      ActorContext<Command> ctx,
      AppSpec spec,
      DynoRuntime runtime,
      DynoSettings dynoSettings,
      ActorRef<LogChannel.Command> logs,
      ActorRef<Router.Command> router) {
    super(ctx);
    this.spec = spec;
    this.runtime = runtime;
    this.dynoSettings = dynoSettings;
    this.logs = logs;
    this.router = router;
    this.statusAdapter = ctx.messageAdapter(DynoStatus.class, DynoChanged::new);
    this.stoppedAdapter = ctx.messageAdapter(Dyno.Stopped.class, s -> new DynoStopped(s.name()));

    Map<String, Integer> initial = new LinkedHashMap<>();
    spec.procfile().processTypes().stream()
        .filter(ProcessType::inFormation)
        .forEach(t -> initial.put(t.name(), 0));
    this.formation = new Formation(initial);

    router.tell(new Router.RegisterApp(spec.name(), logs));
    api("Initial release by user " + spec.user());
    release("Initial release", spec.config());
    String invalid = invalidScale(spec.formation());
    if (invalid != null) {
      api("Formation not applied: " + invalid);
    } else if (!spec.formation().isEmpty()) {
      formation = formation.with(spec.formation());
      api("Scale to " + Formation.describe(inProcfileOrder(spec.formation())) + " by user " + spec.user());
    }
    reconcile();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Scale.class, this::onScale)
        .onMessage(SetConfig.class, this::onSetConfig)
        .onMessage(Restart.class, this::onRestart)
        .onMessage(GetInfo.class, this::onGetInfo)
        .onMessage(Shutdown.class, this::onShutdown)
        .onMessage(DynoChanged.class, this::onDynoChanged)
        .onMessage(DynoStopped.class, this::onDynoStopped)
        .build();
  }

  private Behavior<Command> onScale(Scale m) {
    if (shuttingDown) {
      m.replyTo().tell(Outcome.rejected("the app is shutting down"));
      return this;
    }
    String invalid = invalidScale(m.quantities());
    if (invalid != null) {
      m.replyTo().tell(Outcome.rejected(invalid));
      return this;
    }
    formation = formation.with(m.quantities());
    api("Scale to " + Formation.describe(inProcfileOrder(m.quantities())) + " by user " + spec.user());
    reconcile();
    m.replyTo().tell(Outcome.ok("Scaled to " + formation));
    return this;
  }

  /** The same quantities, in the order of the Procfile (a map from a request has none). */
  private Map<String, Integer> inProcfileOrder(Map<String, Integer> quantities) {
    Map<String, Integer> ordered = new LinkedHashMap<>();
    formation.quantities().keySet().stream()
        .filter(quantities::containsKey)
        .forEach(type -> ordered.put(type, quantities.get(type)));
    return ordered;
  }

  /** Null when every type exists and every quantity is within bounds, else why not. */
  private String invalidScale(Map<String, Integer> quantities) {
    for (Map.Entry<String, Integer> e : quantities.entrySet()) {
      if (!formation.quantities().containsKey(e.getKey())) {
        return "no process type '" + e.getKey() + "' in " + spec.procfile().source()
            + "; expected one of " + String.join(", ", formation.quantities().keySet());
      }
      if (e.getValue() < 0 || e.getValue() > MAX_QUANTITY) {
        return "quantity for '" + e.getKey() + "' must be between 0 and " + MAX_QUANTITY + ", not " + e.getValue();
      }
    }
    return null;
  }

  private Behavior<Command> onSetConfig(SetConfig m) {
    if (shuttingDown) {
      m.replyTo().tell(Outcome.rejected("the app is shutting down"));
      return this;
    }
    Map<String, String> config = new TreeMap<>(current().config());
    List<String> set = new ArrayList<>();
    List<String> unset = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(m.changes()).entrySet()) {
      if (!e.getKey().matches("\\w+")) {
        m.replyTo().tell(Outcome.rejected("config var names are letters, digits and '_'; '" + e.getKey() + "' is not"));
        return this;
      }
      if (e.getValue() == null) {
        if (config.remove(e.getKey()) != null) {
          unset.add(e.getKey());
        }
      } else {
        config.put(e.getKey(), e.getValue());
        set.add(e.getKey());
      }
    }
    String description = set.isEmpty() && unset.isEmpty() ? "Set config vars (no change)"
        : !set.isEmpty() ? "Set " + String.join(", ", set) + " config vars"
        : "Remove " + String.join(", ", unset) + " config vars";
    api(description + " by user " + spec.user());
    Release r = release(description, config);
    running.forEach((name, dyno) -> dyno.tell(new Dyno.Restart(dynoSpec(name))));
    m.replyTo().tell(Outcome.ok("Release v" + r.version()));
    return this;
  }

  private Behavior<Command> onRestart(Restart m) {
    List<DynoName> targets = running.keySet().stream()
        .filter(n -> m.which() == null || n.toString().equals(m.which()) || n.type().equals(m.which()))
        .toList();
    if (targets.isEmpty()) {
      m.replyTo().tell(Outcome.rejected(m.which() == null ? "no dynos to restart" : "no dyno or process type '" + m.which() + "'"));
      return this;
    }
    api("Restart " + (m.which() == null ? "all dynos" : m.which()) + " by user " + spec.user());
    targets.forEach(n -> running.get(n).tell(new Dyno.Restart(dynoSpec(n))));
    m.replyTo().tell(Outcome.ok("Restarting " + targets.size() + " dyno" + (targets.size() == 1 ? "" : "s")));
    return this;
  }

  private Behavior<Command> onGetInfo(GetInfo m) {
    m.replyTo().tell(new Info(spec.name(), formation, current(), List.copyOf(statuses.values())));
    return this;
  }

  private Behavior<Command> onShutdown(Shutdown m) {
    shutdownReplies.add(m.replyTo());
    shuttingDown = true;
    reconcile();
    return finishShutdownIfDone();
  }

  private Behavior<Command> onDynoChanged(DynoChanged m) {
    DynoStatus s = m.status();
    if (running.containsKey(s.name()) || stopping.containsKey(s.name())) {
      statuses.put(s.name(), s);
      router.tell(new Router.DynoChanged(s));
    }
    return this;
  }

  private Behavior<Command> onDynoStopped(DynoStopped m) {
    stopping.remove(m.name());
    DynoStatus last = statuses.get(m.name());
    if (last != null && !running.containsKey(m.name())) {
      statuses.remove(m.name());
    }
    reconcile();
    return finishShutdownIfDone();
  }

  private Behavior<Command> finishShutdownIfDone() {
    if (shuttingDown && running.isEmpty() && stopping.isEmpty()) {
      router.tell(new Router.UnregisterApp(spec.name()));
      shutdownReplies.forEach(r -> r.tell(Outcome.ok("All dynos of " + spec.name() + " are down")));
      return Behaviors.stopped();
    }
    return this;
  }

  /** Starts the dynos the formation asks for and stops those it no longer does. */
  private void reconcile() {
    TreeSet<DynoName> wanted = new TreeSet<>();
    if (!shuttingDown) {
      formation.quantities().forEach((type, n) -> {
        for (int i = 1; i <= n; i++) {
          wanted.add(new DynoName(type, i));
        }
      });
    }
    for (DynoName name : new ArrayList<>(running.keySet())) {
      if (!wanted.contains(name)) {
        ActorRef<Dyno.Command> dyno = running.remove(name);
        stopping.put(name, dyno);
        dyno.tell(new Dyno.Stop(stoppedAdapter));
      }
    }
    for (DynoName name : wanted) {
      if (!running.containsKey(name) && !stopping.containsKey(name)) {
        running.put(name, getContext().spawn(
            Dyno.create(dynoSpec(name), runtime, dynoSettings, logs, statusAdapter), name + "-" + (++spawned)));
      }
    }
  }

  private DynoSpec dynoSpec(DynoName name) {
    String command = spec.procfile().processType(name.type()).orElseThrow().command();
    Release r = current();
    return new DynoSpec(spec.name(), name, command, r.config(), r.version(), spec.dir());
  }

  private Release current() {
    return releases.get(releases.size() - 1);
  }

  private Release release(String description, Map<String, String> config) {
    Release r = new Release(releases.size() + 1, description, config, spec.user(), dynoSettings.clock().instant());
    releases.add(r);
    api("Release v" + r.version() + " created by user " + spec.user());
    return r;
  }

  private void api(String message) {
    logs.tell(new LogChannel.Publish(LogLine.app(dynoSettings.clock().instant(), "api", message)));
  }
}
