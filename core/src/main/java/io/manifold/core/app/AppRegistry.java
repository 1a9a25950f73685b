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
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The apps of a manifold: which exist (stored, so that a restarted manifold finds them again),
 * each started with its log channel, found by name or id, listed, and forgotten once destroyed.
 * Bounded at {@code maxApps}.
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
  public record Created(String error, String message, AppHandle handle) implements CborSerializable {}

  /** Finds an app by name or id. */
  public record Find(String nameOrId, ActorRef<Found> replyTo) implements Command {}

  /** {@code handle} null when there is no such app. */
  public record Found(AppHandle handle) implements CborSerializable {}

  public record ListApps(ActorRef<Listed> replyTo) implements Command {}

  public record Listed(List<AppHandle> apps) implements CborSerializable {}

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

  private record AppEnded(String name) implements Internal {}

  private record AppStopped(App.Outcome outcome) implements Internal {}

  private record CreateAnswered(App.Outcome outcome, String name, ActorRef<Created> replyTo) implements Internal {}

  /** After a restart: an app found in the registry but never stored (a crash mid-creation) is forgotten. */
  private record RecoveredView(String name, AppView view) implements Internal {}

  /** How long the registry waits for a new app to be stored. */
  private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(30);

  private final ActorContext<Command> ctx;
  private final AppWiringFactory wiring;
  private final LogSettings logSettings;
  private final DrainTransport drains;
  private final int maxApps;
  private final SplittableRandom random = new SplittableRandom();
  private final Map<String, AppHandle> running = new HashMap<>();
  private final List<ActorRef<ShutDown>> shutdownReplies = new ArrayList<>();
  private int stillStopping = -1;

  /** How an app gets its node's parts, given its log channel. */
  public interface AppWiringFactory {
    AppWiring wiringFor(ActorRef<LogChannel.Command> logs);

    /** What watches the node's apps; none by default. */
    default NodeObservers observers() {
      return NodeObservers.NONE;
    }

    static AppWiringFactory of(DynoRuntime runtime, DynoSettings settings, ActorRef<Router.Command> router, String node) {
      return of(runtime, settings, router, node, NodeObservers.NONE);
    }

    static AppWiringFactory of(
        DynoRuntime runtime, DynoSettings settings, ActorRef<Router.Command> router, String node, NodeObservers observers) {
      return new AppWiringFactory() {
        @Override
        public AppWiring wiringFor(ActorRef<LogChannel.Command> logs) {
          return new AppWiring(runtime, settings, logs, router, node, observers);
        }

        @Override
        public NodeObservers observers() {
          return observers;
        }
      };
    }
  }

  public static final PersistenceId PERSISTENCE_ID = PersistenceId.ofUniqueId("AppRegistry");

  /** @param drains how log channels deliver to drains */
  public static Behavior<Command> create(AppWiringFactory wiring, LogSettings logSettings, DrainTransport drains, int maxApps) {
    return Behaviors.setup(ctx -> new AppRegistry(ctx, wiring, logSettings, drains, maxApps));
  }

  private AppRegistry(ActorContext<Command> ctx, AppWiringFactory wiring, LogSettings logSettings, DrainTransport drains, int maxApps) {
    super(PERSISTENCE_ID, SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
    this.ctx = ctx;
    this.wiring = wiring;
    this.logSettings = logSettings;
    this.drains = drains;
    this.maxApps = maxApps;
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
      // every stored app starts again and recovers its own events
      state.apps().forEach((name, id) -> {
        AppHandle h = start(name, id);
        ctx.ask(AppView.class, h.app(), CREATE_TIMEOUT, App.GetView::new,
            (view, failure) -> new RecoveredView(name, view));
      });
    }).build();
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(CreateApp.class, this::onCreate)
        .onCommand(CreateAnswered.class, this::onCreateAnswered)
        .onCommand(Find.class, (s, m) -> Effect().none().thenRun(x -> m.replyTo().tell(new Found(find(x, m.nameOrId())))))
        .onCommand(ListApps.class, (s, m) -> Effect().none().thenRun(x -> m.replyTo().tell(new Listed(
            x.apps().keySet().stream().map(running::get).filter(h -> h != null).toList()))))
        .onCommand(ShutdownAll.class, this::onShutdownAll)
        .onCommand(AppStopped.class, (s, m) -> onAppStopped())
        .onCommand(AppEnded.class, this::onAppEnded)
        .onCommand(RecoveredView.class, this::onRecoveredView)
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
        : s.apps().containsKey(name) || running.containsKey(name) ? "conflict"
        : stillStopping >= 0 ? "conflict"
        : s.apps().size() >= maxApps ? "invalid_params" : null;
    if (error != null) {
      String message = problem != null ? "Name " + problem
          : s.apps().containsKey(name) || running.containsKey(name) ? "Name " + name + " is already taken"
          : stillStopping >= 0 ? "the manifold is stopping"
          : "this manifold runs " + maxApps + " apps, its limit (manifold.apps.max)";
      return Effect().none().thenRun(x -> m.replyTo().tell(new Created(error, message, null)));
    }
    String id = UUID.randomUUID().toString();
    String chosen = name;
    return Effect().persist(new Registered(chosen, id)).thenRun(x -> {
      AppHandle h = start(chosen, id);
      ctx.ask(App.Outcome.class, h.app(), CREATE_TIMEOUT,
          r -> new App.Create(id, chosen, m.user(), m.config(), m.slug(), m.formation(), r),
          (outcome, failure) -> new CreateAnswered(
              outcome != null ? outcome : new App.Outcome("service_unavailable", "the app was not stored in time: " + failure, null, null),
              chosen, m.replyTo()));
    });
  }

  private Effect<Event, State> onCreateAnswered(State s, CreateAnswered m) {
    if (m.outcome().accepted()) {
      return Effect().none().thenRun(x -> m.replyTo().tell(new Created(null, m.outcome().message(), running.get(m.name()))));
    }
    // not stored: take the name back
    AppHandle h = running.remove(m.name());
    if (h != null) {
      ctx.stop(h.app());
      ctx.stop(h.logs());
    }
    return Effect().persist(new Forgotten(m.name()))
        .thenRun(x -> m.replyTo().tell(new Created(m.outcome().error(), m.outcome().message(), null)));
  }

  private Effect<Event, State> onRecoveredView(State s, RecoveredView m) {
    if (m.view() == null || m.view().state().exists()) {
      return Effect().none();
    }
    AppHandle h = running.remove(m.name());
    if (h != null) {
      ctx.stop(h.app());
      ctx.stop(h.logs());
    }
    return s.apps().containsKey(m.name()) ? Effect().persist(new Forgotten(m.name())) : Effect().none();
  }

  /** Starts an app's log channel and the app itself (which recovers, or waits to be created). */
  private AppHandle start(String name, String id) {
    ActorRef<LogChannel.Command> logs = ctx.spawn(
        LogChannel.create(name, logSettings, drains, wiring.observers().logs().apply(name)), "logs-" + name);
    ActorRef<App.Command> app = ctx.spawn(App.create(name, wiring.wiringFor(logs)), "app-" + name);
    ctx.watchWith(app, new AppEnded(name));
    AppHandle h = new AppHandle(name, id, app, logs);
    running.put(name, h);
    return h;
  }

  private AppHandle find(State s, String nameOrId) {
    if (s.apps().containsKey(nameOrId)) {
      return running.get(nameOrId);
    }
    return s.apps().entrySet().stream().filter(e -> e.getValue().equals(nameOrId)).findFirst()
        .map(e -> running.get(e.getKey())).orElse(null);
  }

  /** An app stopped: destroyed (forget it), or stopped with the node (keep it). */
  private Effect<Event, State> onAppEnded(State s, AppEnded m) {
    AppHandle gone = running.remove(m.name());
    if (gone != null) {
      ctx.stop(gone.logs());
      wiring.observers().appGone().accept(gone.name());
    }
    if (stillStopping < 0 && s.apps().containsKey(m.name())) {
      return Effect().persist(new Forgotten(m.name()));
    }
    return Effect().none();
  }

  private Effect<Event, State> onShutdownAll(State s, ShutdownAll m) {
    shutdownReplies.add(m.replyTo());
    if (stillStopping < 0) {
      stillStopping = running.size();
      ActorRef<App.Outcome> done = ctx.messageAdapter(App.Outcome.class, AppStopped::new);
      running.values().forEach(h -> h.app().tell(new App.Shutdown(done)));
    }
    return stillStopping == 0 ? answerShutdown() : Effect().none();
  }

  private Effect<Event, State> onAppStopped() {
    stillStopping--;
    return stillStopping <= 0 ? answerShutdown() : Effect().none();
  }

  private Effect<Event, State> answerShutdown() {
    int apps = running.size();
    List<ActorRef<ShutDown>> replies = List.copyOf(shutdownReplies);
    shutdownReplies.clear();
    return Effect().none().thenRun(x -> replies.forEach(r -> r.tell(new ShutDown(apps))));
  }
}
