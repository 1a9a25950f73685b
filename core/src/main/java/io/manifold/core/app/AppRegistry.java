package io.manifold.core.app;

import io.manifold.core.CborSerializable;
import io.manifold.core.dyno.DynoRuntime;
import io.manifold.core.dyno.DynoSettings;
import io.manifold.core.logs.DrainTransport;
import io.manifold.core.logs.LogChannel;
import io.manifold.core.logs.LogLine;
import io.manifold.core.logs.LogSettings;
import io.manifold.core.routing.Router;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The apps of a manifold: creates each with its log channel, finds them by name or id, lists
 * them, and forgets an app once it has been destroyed. Bounded at {@code maxApps}.
 */
public final class AppRegistry extends AbstractBehavior<AppRegistry.Command> {

  public sealed interface Command extends CborSerializable {}

  /**
   * Creates an app (a Heroku-style name is made when {@code name} is null), deploys {@code slug}
   * if given, and scales it to {@code formation}.
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

  private sealed interface Internal extends Command, NoSerializationVerificationNeeded {}

  private record AppEnded(String name) implements Internal {}

  private record AppStopped(App.Outcome outcome) implements Internal {}

  private final AppWiringFactory wiring;
  private final LogSettings logSettings;
  private final DrainTransport drains;
  private final int maxApps;
  private final SplittableRandom random = new SplittableRandom();
  private final Map<String, AppHandle> apps = new LinkedHashMap<>();
  private final Map<String, String> nameById = new HashMap<>();
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

  /** @param drains how log channels deliver to drains */
  public static Behavior<Command> create(AppWiringFactory wiring, LogSettings logSettings, DrainTransport drains, int maxApps) {
    return Behaviors.setup(ctx -> new AppRegistry(ctx, wiring, logSettings, drains, maxApps));
  }

  private AppRegistry(ActorContext<Command> ctx, AppWiringFactory wiring, LogSettings logSettings, DrainTransport drains, int maxApps) {
    super(ctx);
    this.wiring = wiring;
    this.logSettings = logSettings;
    this.drains = drains;
    this.maxApps = maxApps;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(CreateApp.class, this::onCreate)
        .onMessage(Find.class, this::onFind)
        .onMessage(ListApps.class, m -> {
          m.replyTo().tell(new Listed(List.copyOf(apps.values())));
          return this;
        })
        .onMessage(ShutdownAll.class, this::onShutdownAll)
        .onMessage(AppEnded.class, this::onAppEnded)
        .onMessage(AppStopped.class, m -> onAppStopped())
        .build();
  }

  private Behavior<Command> onCreate(CreateApp m) {
    String name = m.name();
    if (name == null) {
      do {
        name = AppNames.random(random);
      } while (apps.containsKey(name));
    }
    String problem = AppNames.problem(name);
    if (problem != null) {
      m.replyTo().tell(new Created("invalid_params", "Name " + problem, null));
      return this;
    }
    if (apps.containsKey(name)) {
      m.replyTo().tell(new Created("conflict", "Name " + name + " is already taken", null));
      return this;
    }
    if (stillStopping >= 0) {
      m.replyTo().tell(new Created("conflict", "the manifold is stopping", null));
      return this;
    }
    if (apps.size() >= maxApps) {
      m.replyTo().tell(new Created("invalid_params", "this manifold runs " + maxApps + " apps, its limit (manifold.apps.max)", null));
      return this;
    }
    String id = UUID.randomUUID().toString();
    ActorRef<LogChannel.Command> logs = getContext().spawn(
        LogChannel.create(name, logSettings, drains, wiring.observers().logs().apply(name)), "logs-" + name);
    AppWiring appWiring = wiring.wiringFor(logs);
    Instant now = appWiring.dynoSettings().clock().instant();
    Release first = new Release(1, UUID.randomUUID().toString(), "Initial release", m.config(), null, m.user(), now);
    logs.tell(new LogChannel.Publish(LogLine.app(now, "api", "Initial release by user " + m.user())));
    logs.tell(new LogChannel.Publish(LogLine.app(now, "api", "Release v1 created by user " + m.user())));
    ActorRef<App.Command> app = getContext().spawn(
        App.create(List.of(new AppEvent.Created(id, name, m.user(), now), new AppEvent.Released(first, now)), appWiring),
        "app-" + name);
    getContext().watchWith(app, new AppEnded(name));
    ActorRef<App.Outcome> ignore = getContext().getSystem().ignoreRef();
    if (m.slug() != null) {
      app.tell(new App.Deploy(m.slug(), m.user(), ignore));
    }
    if (m.formation() != null && !m.formation().isEmpty()) {
      Map<String, Quantity> q = new LinkedHashMap<>();
      m.formation().forEach((type, n) -> q.put(type, Quantity.absolute(n)));
      app.tell(new App.Scale(q, Map.of(), m.user(), ignore));
    }
    AppHandle handle = new AppHandle(name, id, app, logs);
    apps.put(name, handle);
    nameById.put(id, name);
    m.replyTo().tell(new Created(null, "Created " + name, handle));
    return this;
  }

  private Behavior<Command> onFind(Find m) {
    String name = apps.containsKey(m.nameOrId()) ? m.nameOrId() : nameById.get(m.nameOrId());
    m.replyTo().tell(new Found(name == null ? null : apps.get(name)));
    return this;
  }

  private Behavior<Command> onAppEnded(AppEnded m) {
    AppHandle gone = apps.remove(m.name());
    if (gone != null) {
      nameById.remove(gone.id());
      getContext().stop(gone.logs());
      wiring.observers().appGone().accept(gone.name());
    }
    return this;
  }

  private Behavior<Command> onShutdownAll(ShutdownAll m) {
    shutdownReplies.add(m.replyTo());
    if (stillStopping < 0) {
      stillStopping = apps.size();
      ActorRef<App.Outcome> done = getContext().messageAdapter(App.Outcome.class, AppStopped::new);
      apps.values().forEach(h -> h.app().tell(new App.Shutdown(done)));
    }
    return stillStopping == 0 ? answerShutdown() : this;
  }

  private Behavior<Command> onAppStopped() {
    stillStopping--;
    return stillStopping <= 0 ? answerShutdown() : this;
  }

  private Behavior<Command> answerShutdown() {
    shutdownReplies.forEach(r -> r.tell(new ShutDown(apps.size())));
    shutdownReplies.clear();
    return this;
  }
}
