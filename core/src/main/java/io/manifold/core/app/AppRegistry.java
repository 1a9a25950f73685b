package io.manifold.core.app;

import io.manifold.core.CborSerializable;
import io.manifold.core.dyno.DynoRuntime;
import io.manifold.core.dyno.DynoSettings;
import io.manifold.core.logs.DrainTransport;
import io.manifold.core.logs.LogChannel;
import io.manifold.core.logs.LogSettings;
import io.manifold.core.routing.Router;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The apps of a manifold: which exist (stored, so that a restarted manifold finds them again),
 * found by name or id, listed, made, and forgotten once destroyed. The apps themselves live in an
 * {@link AppHost} (sharded entities in a cluster, where the registry is a cluster singleton); the
 * registry asks after each of them now and then, which is what brings back an app lost with its
 * node. Bounded at {@code maxApps}.
 */
public final class AppRegistry extends EventSourcedBehavior<AppRegistry.Command, AppRegistry.Event, AppRegistry.State> {

  public sealed interface Command extends CborSerializable {}

  /**
   * Creates an app (a Heroku-style name is made when {@code name} is null), deploys {@code slug}
   * if given, and scales it to {@code formation}. Answered once the app is stored.
   */
  public record CreateApp(
      String name, String user, Slug slug, Map<String, String> config, Map<String, Integer> formation,
      ActorRef<Created> replyTo) implements Command {}

  /** {@code error} null when created, else a Heroku error id ({@code invalid_params}, {@code conflict}). */
  public record Created(String error, String message, Entry app) implements CborSerializable {}

  /** An app that exists: its name and id. */
  public record Entry(String name, String id) implements CborSerializable {}

  /** Finds an app by name or id. */
  public record Find(String nameOrId, ActorRef<Found> replyTo) implements Command {}

  /** {@code app} null when there is no such app. */
  public record Found(Entry app) implements CborSerializable {}

  public record ListApps(ActorRef<Listed> replyTo) implements Command {}

  public record Listed(List<Entry> apps) implements CborSerializable {}

  /** Destroys an app (its dynos stop, its name is free again); answered with the app's outcome. */
  public record DestroyApp(String name, String user, ActorRef<App.Outcome> replyTo) implements Command {}

  /** The node is stopping: every app stops its dynos; answered once all have. */
  public record ShutdownAll(ActorRef<ShutDown> replyTo) implements Command {}

  public record ShutDown(int apps) implements CborSerializable {}

  /** What the registry stores: an app's name and id, given or taken back. */
  public sealed interface Event extends CborSerializable {}

  public record Registered(String name, String id) implements Event {}

  public record Forgotten(String name) implements Event {}

  /** Name to id of every app that exists. */
  public record State(Map<String, String> apps) implements CborSerializable {
    public State {
      apps = Collections.unmodifiableMap(new LinkedHashMap<>(apps));
    }

    State apply(Event e) {
      Map<String, String> next = new LinkedHashMap<>(apps);
      if (e instanceof Registered r) {
        next.put(r.name(), r.id());
      } else if (e instanceof Forgotten f) {
        next.remove(f.name());
      }
      return new State(next);
    }
  }

  private sealed interface Internal extends Command, NoSerializationVerificationNeeded {}

  private record AppStopped(App.Outcome outcome) implements Internal {}

  private record CreateAnswered(App.Outcome outcome, String name, String id, ActorRef<Created> replyTo) implements Internal {}

  private record DestroyAnswered(App.Outcome outcome, String name, ActorRef<App.Outcome> replyTo) implements Internal {}

  /** An app answered a wake-up; one found empty (a crash mid-creation) is forgotten. */
  private record Woken(String name, AppView view) implements Internal {}

  private enum Wake implements Internal {
    INSTANCE
  }

  /** How long the registry waits for an app to answer. */
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final AppHost host;
  private final int maxApps;
  private final Duration wakeEvery;
  private final SplittableRandom random = new SplittableRandom();
  private final List<ActorRef<ShutDown>> shutdownReplies = new ArrayList<>();
  private int stillStopping = -1;

  /** How an app gets its node's parts, given its log channel. */
  public interface AppWiringFactory {
    AppWiring wiringFor(RecipientRef<LogChannel.Command> logs);

    /** What watches the node's apps; none by default. */
    default NodeObservers observers() {
      return NodeObservers.NONE;
    }

    static AppWiringFactory of(DynoRuntime runtime, DynoSettings settings, ActorRef<Router.Command> router, String node) {
      return of(runtime, settings, router, node, NodeObservers.NONE);
    }

    static AppWiringFactory of(
        DynoRuntime runtime, DynoSettings settings, ActorRef<Router.Command> router, String node, NodeObservers observers) {
      return of(runtime, settings, router, node, observers, null, AppWiring.DEFAULT_RECONCILE);
    }

    static AppWiringFactory of(
        DynoRuntime runtime, DynoSettings settings, ActorRef<Router.Command> router, String node, NodeObservers observers,
        DynoHost dynos, Duration reconcileEvery) {
      return new AppWiringFactory() {
        @Override
        public AppWiring wiringFor(RecipientRef<LogChannel.Command> logs) {
          return new AppWiring(runtime, settings, logs, router, node, observers, dynos, reconcileEvery);
        }

        @Override
        public NodeObservers observers() {
          return observers;
        }
      };
    }
  }

  public static final PersistenceId PERSISTENCE_ID = PersistenceId.ofUniqueId("AppRegistry");

  /**
   * @param host where the apps live
   * @param wakeEvery how often every app is asked after; in a cluster, that brings back an app
   *     entity lost with its node, and with it its dynos
   */
  public static Behavior<Command> create(AppHost host, int maxApps, Duration wakeEvery) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new AppRegistry(ctx, timers, host, maxApps, wakeEvery)));
  }

  private AppRegistry(ActorContext<Command> ctx, TimerScheduler<Command> timers, AppHost host, int maxApps, Duration wakeEvery) {
    super(PERSISTENCE_ID, SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
    this.ctx = ctx;
    this.timers = timers;
    this.host = host;
    this.maxApps = maxApps;
    this.wakeEvery = wakeEvery;
  }

  @Override
  public State emptyState() {
    return new State(Map.of());
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
      wake(state); // every stored app starts again and recovers its own events
      timers.startTimerWithFixedDelay(Wake.INSTANCE, wakeEvery);
    }).build();
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(CreateApp.class, this::onCreate)
        .onCommand(CreateAnswered.class, this::onCreateAnswered)
        .onCommand(Find.class, (s, m) -> Effect().none().thenRun(x -> m.replyTo().tell(new Found(find(x, m.nameOrId())))))
        .onCommand(ListApps.class, (s, m) -> Effect().none().thenRun(x -> m.replyTo().tell(new Listed(
            x.apps().entrySet().stream().map(e -> new Entry(e.getKey(), e.getValue())).toList()))))
        .onCommand(DestroyApp.class, this::onDestroy)
        .onCommand(DestroyAnswered.class, this::onDestroyAnswered)
        .onCommand(ShutdownAll.class, this::onShutdownAll)
        .onCommand(AppStopped.class, (s, m) -> onAppStopped(s))
        .onCommand(Wake.class, (s, m) -> Effect().none().thenRun(this::wake))
        .onCommand(Woken.class, this::onWoken)
        .build();
  }

  private Effect<Event, State> onCreate(State s, CreateApp m) {
    String name = m.name();
    if (name == null) {
      do {
        name = AppNames.random(random);
      } while (s.apps().containsKey(name));
    }
    String problem = AppNames.problem(name);
    String error = problem != null ? "invalid_params"
        : s.apps().containsKey(name) || stillStopping >= 0 ? "conflict"
        : s.apps().size() >= maxApps ? "invalid_params" : null;
    if (error != null) {
      String message = problem != null ? "Name " + problem
          : s.apps().containsKey(name) ? "Name " + name + " is already taken"
          : stillStopping >= 0 ? "the manifold is stopping"
          : "this manifold runs " + maxApps + " apps, its limit (manifold.apps.max)";
      return Effect().none().thenRun(x -> m.replyTo().tell(new Created(error, message, null)));
    }
    String id = UUID.randomUUID().toString();
    String chosen = name;
    return Effect().persist(new Registered(chosen, id)).thenRun(x ->
        ctx.ask(App.Outcome.class, host.app(chosen), ANSWER_TIMEOUT,
            r -> new App.Create(id, chosen, m.user(), m.config(), m.slug(), m.formation(), r),
            (outcome, failure) -> new CreateAnswered(
                outcome != null ? outcome : new App.Outcome("service_unavailable", "the app was not stored in time: " + failure, null, null),
                chosen, id, m.replyTo())));
  }

  private Effect<Event, State> onCreateAnswered(State s, CreateAnswered m) {
    if (m.outcome().accepted()) {
      return Effect().none().thenRun(x -> m.replyTo().tell(new Created(null, m.outcome().message(), new Entry(m.name(), m.id()))));
    }
    // not stored: take the name back
    return Effect().persist(new Forgotten(m.name())).thenRun(x -> {
      host.forget(m.name());
      m.replyTo().tell(new Created(m.outcome().error(), m.outcome().message(), null));
    });
  }

  private Effect<Event, State> onDestroy(State s, DestroyApp m) {
    if (!s.apps().containsKey(m.name())) {
      return Effect().none().thenRun(x -> m.replyTo().tell(new App.Outcome("not_found", "Couldn't find that app.", null, null)));
    }
    return Effect().none().thenRun(x -> ctx.ask(App.Outcome.class, host.app(m.name()), ANSWER_TIMEOUT,
        r -> new App.Destroy(m.user(), r),
        (outcome, failure) -> new DestroyAnswered(
            outcome != null ? outcome : new App.Outcome("service_unavailable", "the app did not answer in time: " + failure, null, null),
            m.name(), m.replyTo())));
  }

  private Effect<Event, State> onDestroyAnswered(State s, DestroyAnswered m) {
    if (!m.outcome().accepted() || !s.apps().containsKey(m.name())) {
      return Effect().none().thenRun(x -> m.replyTo().tell(m.outcome()));
    }
    return Effect().persist(new Forgotten(m.name())).thenRun(x -> {
      host.forget(m.name());
      m.replyTo().tell(m.outcome());
    });
  }

  /** Asks every app after itself: it (re)starts where it lives and recovers, or is found empty. */
  private void wake(State s) {
    if (stillStopping >= 0) {
      return;
    }
    s.apps().keySet().forEach(name -> ctx.ask(AppView.class, host.app(name), ANSWER_TIMEOUT, App.GetView::new,
        (view, failure) -> new Woken(name, view)));
  }

  private Effect<Event, State> onWoken(State s, Woken m) {
    if (m.view() == null || m.view().state().exists() || !s.apps().containsKey(m.name()) || stillStopping >= 0) {
      return Effect().none();
    }
    return Effect().persist(new Forgotten(m.name())).thenRun(x -> host.forget(m.name()));
  }

  private Entry find(State s, String nameOrId) {
    if (s.apps().containsKey(nameOrId)) {
      return new Entry(nameOrId, s.apps().get(nameOrId));
    }
    return s.apps().entrySet().stream().filter(e -> e.getValue().equals(nameOrId)).findFirst()
        .map(e -> new Entry(e.getKey(), e.getValue())).orElse(null);
  }

  private Effect<Event, State> onShutdownAll(State s, ShutdownAll m) {
    shutdownReplies.add(m.replyTo());
    if (stillStopping < 0) {
      timers.cancel(Wake.INSTANCE); // a wake-up would start a stopped app again
      stillStopping = s.apps().size();
      s.apps().keySet().forEach(name -> ctx.ask(App.Outcome.class, host.app(name), ANSWER_TIMEOUT, App.Shutdown::new,
          (outcome, failure) -> new AppStopped(outcome)));
    }
    return stillStopping == 0 ? answerShutdown(s) : Effect().none();
  }

  private Effect<Event, State> onAppStopped(State s) {
    stillStopping--;
    return stillStopping <= 0 ? answerShutdown(s) : Effect().none();
  }

  private Effect<Event, State> answerShutdown(State s) {
    int apps = s.apps().size();
    List<ActorRef<ShutDown>> replies = List.copyOf(shutdownReplies);
    shutdownReplies.clear();
    return Effect().none().thenRun(x -> replies.forEach(r -> r.tell(new ShutDown(apps))));
  }
}
