package io.manifold.core.app;

import io.manifold.core.CborSerializable;
import io.manifold.core.dyno.Dyno;
import io.manifold.core.dyno.DynoName;
import io.manifold.core.dyno.DynoStatus;
import io.manifold.core.logs.LogChannel;
import io.manifold.core.logs.LogLine;
import io.manifold.core.routing.Router;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * An app, as Heroku's platform keeps it: an event-sourced entity whose state ({@link AppState}:
 * releases, formation, maintenance) is what its stored {@link AppEvent}s add up to, and whose
 * dynos ({@link AppDynos}) follow that state. A command is checked whole against the state
 * ({@link AppChanges}); a refused one changes nothing; an accepted one is answered only once its
 * events are stored, then logged as Heroku's API logs it ({@code app[api]: Scale to web=3 by user
 * ...}) and carried out. After a restart the app replays its events (from the latest snapshot)
 * and brings its dynos back up.
 *
 * <p>Bounds: a snapshot every 100 events, two kept; while an event is being stored, commands wait
 * in the entity's stash ({@code pekko.persistence.typed.stash-capacity}).
 */
public final class App extends EventSourcedBehavior<App.Command, AppEvent, AppState> {

  public sealed interface Command extends CborSerializable {}

  public record GetView(ActorRef<AppView> replyTo) implements Command {}

  /**
   * Makes the app: its first release with {@code config}, then {@code slug} deployed (if any) and
   * the formation scaled (if any), stored as one atomic write.
   */
  public record Create(
      String id, String name, String user, Map<String, String> config, Slug slug, Map<String, Integer> formation,
      ActorRef<Outcome> replyTo) implements Command {}

  /** Deploys code: a new release with this slug and the current config vars. */
  public record Deploy(Slug slug, String user, ActorRef<Outcome> replyTo) implements Command {}

  /**
   * Changes quantities (absolute or relative) and sizes of process types, all or nothing.
   *
   * @param sizes process type to dyno size name; may be empty
   */
  public record Scale(Map<String, Quantity> quantities, Map<String, String> sizes, String user, ActorRef<Outcome> replyTo)
      implements Command {}

  /** Sets config vars (a null value unsets one): a new release, and every dyno restarts into it. */
  public record SetConfig(Map<String, String> changes, String user, ActorRef<Outcome> replyTo) implements Command {}

  /** A new release with the code and config of an earlier one. */
  public record Rollback(int version, String user, ActorRef<Outcome> replyTo) implements Command {}

  public record SetMaintenance(boolean on, String user, ActorRef<Outcome> replyTo) implements Command {}

  /** Restarts every dyno ({@code which} null), those of a process type, or one dyno ({@code web.1}). */
  public record Restart(String which, String user, ActorRef<Outcome> replyTo) implements Command {}

  /** Stops a dyno or a type's dynos; formation dynos are started again, as Heroku does. */
  public record Stop(String which, String user, ActorRef<Outcome> replyTo) implements Command {}

  /** Runs a one-off dyno ({@code run.N}) with the command; {@link Outcome#detail()} is its name. */
  public record RunOneOff(String command, Map<String, String> env, String user, ActorRef<Outcome> replyTo)
      implements Command {}

  /** Adds a log drain; {@link Outcome#message()} is the new drain's id. */
  public record AddDrain(String url, String user, ActorRef<Outcome> replyTo) implements Command {}

  /** Removes a log drain named by its id, URL or token; {@link Outcome#message()} is its id. */
  public record RemoveDrain(String which, String user, ActorRef<Outcome> replyTo) implements Command {}

  /** Stops every dyno and deletes the app. */
  public record Destroy(String user, ActorRef<Outcome> replyTo) implements Command {}

  /** The node is stopping: every dyno stops gracefully, the app itself is kept. */
  public record Shutdown(ActorRef<Outcome> replyTo) implements Command {}

  /**
   * The answer to a command: {@code error} null when it was done, else one of Heroku's error ids
   * ({@code invalid_params}, {@code not_found}, {@code conflict}) with a message a person can act on.
   * {@code view} is the app after the command.
   */
  public record Outcome(String error, String message, String detail, AppView view) implements CborSerializable {
    public boolean accepted() {
      return error == null;
    }
  }

  private sealed interface Internal extends Command, NoSerializationVerificationNeeded {}

  private record DynoChanged(DynoStatus status) implements Internal {}

  private record DynoStopped(DynoName name) implements Internal {}

  /** The periodic check of the app's dynos and routes. */
  private enum Check implements Internal {
    INSTANCE
  }

  /** The bound on a process type's quantity, as Heroku's default limit. */
  public static final int MAX_QUANTITY = AppChanges.MAX_QUANTITY;

  /** Snapshots every this many events (two kept), so that a restart replays at most this many. */
  public static final int SNAPSHOT_EVERY = 100;

  private final ActorContext<Command> ctx;
  private final AppWiring wiring;
  private final AppDynos dynos;
  private final List<ActorRef<Outcome>> stopReplies = new ArrayList<>();
  private boolean stopping;
  private boolean destroying;

  /** The persistence id of the app with this name: its events outlive a destroy and a re-create. */
  public static PersistenceId persistenceId(String name) {
    return PersistenceId.of("App", name);
  }

  /** The app called {@code name}: recovers its events, or waits for {@link Create}. */
  public static Behavior<Command> create(String name, AppWiring wiring) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new App(ctx, timers, name, wiring)));
  }

  private final TimerScheduler<Command> timers;

  private App(ActorContext<Command> ctx, TimerScheduler<Command> timers, String name, AppWiring wiring) {
    // a failed write (the database gone for a moment) restarts the app, which replays what was stored
    super(persistenceId(name), SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
    this.ctx = ctx;
    this.timers = timers;
    this.wiring = wiring;
    this.dynos = new AppDynos(ctx, wiring,
        ctx.messageAdapter(DynoStatus.class, DynoChanged::new),
        ctx.messageAdapter(Dyno.Stopped.class, s -> new DynoStopped(s.name())));
  }

  @Override
  public AppState emptyState() {
    return AppState.empty();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 2);
  }

  @Override
  public EventHandler<AppState, AppEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(AppState::apply);
  }

  @Override
  public SignalHandler<AppState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::onRecovered)
        .build();
  }

  /** After a restart: an app that exists takes its place in the router and brings its dynos up. */
  private void onRecovered(AppState state) {
    if (state.exists()) {
      carryOut(state);
    }
  }

  @Override
  public CommandHandler<Command, AppEvent, AppState> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(GetView.class, (s, m) -> Effect().none().thenRun(x -> m.replyTo().tell(view(x))))
        .onCommand(Create.class, this::onCreate)
        .onCommand(Deploy.class, (s, m) -> change(s, m.replyTo(), AppChanges.deploy(s, m.slug(), m.user(), now()), this::rollTo))
        .onCommand(Scale.class, (s, m) -> change(s, m.replyTo(),
            AppChanges.scale(s, m.quantities(), m.sizes(), m.user(), now()), x -> dynos.reconcile(x, false)))
        .onCommand(SetConfig.class, (s, m) -> change(s, m.replyTo(), AppChanges.config(s, m.changes(), m.user(), now()), this::rollTo))
        .onCommand(Rollback.class, (s, m) -> change(s, m.replyTo(), AppChanges.rollback(s, m.version(), m.user(), now()), this::rollTo))
        .onCommand(SetMaintenance.class, (s, m) -> change(s, m.replyTo(),
            AppChanges.maintenance(s, m.on(), m.user(), now()), this::tellRouterSettings))
        .onCommand(AddDrain.class, (s, m) -> change(s, m.replyTo(), AppChanges.addDrain(s, m.url(), m.user(), now()), this::tellDrains))
        .onCommand(RemoveDrain.class, (s, m) -> change(s, m.replyTo(), AppChanges.removeDrain(s, m.which(), m.user(), now()), this::tellDrains))
        .onCommand(Restart.class, this::onRestart)
        .onCommand(Stop.class, this::onStop)
        .onCommand(RunOneOff.class, this::onRunOneOff)
        .onCommand(Destroy.class, this::onDestroy)
        .onCommand(Shutdown.class, (s, m) -> beginStop(s, m.replyTo()))
        .onCommand(DynoChanged.class, this::onDynoChanged)
        .onCommand(DynoStopped.class, this::onDynoStopped)
        .onCommand(Check.class, this::onCheck)
        .build();
  }

  // --- commands that change the app: checked, stored, answered, carried out ---

  private Effect<AppEvent, AppState> onCreate(AppState s, Create m) {
    if (stopping) {
      return refuse(s, m.replyTo(), "conflict", s.name() + " is stopping");
    }
    AppChanges.Change c = AppChanges.create(s, m.id(), m.name(), m.user(), m.config(), m.slug(), m.formation(), now());
    if (c.refused()) {
      return refuse(s, m.replyTo(), c.errorId(), c.message());
    }
    return Effect().persist(c.events()).thenRun(after -> {
      c.apiLines().forEach(this::api);
      carryOut(after);
      m.replyTo().tell(new Outcome(null, c.message(), null, view(after)));
    });
  }

  private Effect<AppEvent, AppState> change(
      AppState s, ActorRef<Outcome> replyTo, AppChanges.Change c, java.util.function.Consumer<AppState> carryOut) {
    if (!s.exists()) {
      return refuse(s, replyTo, "not_found", "Couldn't find that app.");
    }
    if (stopping) {
      return refuse(s, replyTo, "conflict", s.name() + " is " + (destroying ? "being deleted" : "stopping"));
    }
    if (c.refused()) {
      return refuse(s, replyTo, c.errorId(), c.message());
    }
    return Effect().persist(c.events()).thenRun(after -> {
      c.apiLines().forEach(this::api);
      if (!c.events().isEmpty()) {
        carryOut.accept(after);
      }
      replyTo.tell(new Outcome(null, c.message(), null, view(after)));
    });
  }

  private Effect<AppEvent, AppState> onDestroy(AppState s, Destroy m) {
    if (!s.exists() || destroying) {
      return refuse(s, m.replyTo(), "not_found", "Couldn't find that app.");
    }
    AppChanges.Change c = AppChanges.destroy(s, m.user(), now());
    return Effect().persist(c.events()).thenRun(after -> {
      c.apiLines().forEach(this::api);
      destroying = true;
      stopReplies.add(m.replyTo());
      stopping = true;
      dynos.reconcile(after, true);
    }).thenRun(after -> {
      if (dynos.isEmpty()) {
        ctx.getSelf().tell(new DynoStopped(null)); // nothing to wait for: finish at once
      }
    });
  }

  // --- commands on dynos: nothing to store ---

  private Effect<AppEvent, AppState> onRestart(AppState s, Restart m) {
    String refused = needsCode(s, "there are no dynos to restart");
    if (refused != null) {
      return refuse(s, m.replyTo(), "invalid_params", refused);
    }
    List<DynoName> targets = dynos.restart(s, m.which());
    if (targets.isEmpty() && m.which() != null) {
      return refuse(s, m.replyTo(), "not_found", "Couldn't find that dyno or process type: " + m.which());
    }
    api("Restart " + (m.which() == null ? "all dynos" : m.which()) + " by user " + m.user());
    return reply(s, m.replyTo(), "Restarting " + targets.size() + " dyno" + (targets.size() == 1 ? "" : "s"), null);
  }

  private Effect<AppEvent, AppState> onStop(AppState s, Stop m) {
    if (!s.exists() || stopping) {
      return refuse(s, m.replyTo(), "not_found", "Couldn't find that app.");
    }
    List<DynoName> targets = dynos.stop(m.which());
    if (targets.isEmpty()) {
      return refuse(s, m.replyTo(), "not_found", "Couldn't find that dyno or process type: " + m.which());
    }
    api("Stop " + m.which() + " by user " + m.user());
    return reply(s, m.replyTo(), "Stopping " + targets.size() + " dyno" + (targets.size() == 1 ? "" : "s"), null);
  }

  private Effect<AppEvent, AppState> onRunOneOff(AppState s, RunOneOff m) {
    String refused = needsCode(s, "deploy code before running a command");
    if (refused != null) {
      return refuse(s, m.replyTo(), "invalid_params", refused);
    }
    if (m.command() == null || m.command().isBlank()) {
      return refuse(s, m.replyTo(), "invalid_params", "a one-off dyno needs a command");
    }
    DynoName name = dynos.runOneOff(s, m.command(), m.env() == null ? Map.of() : m.env());
    if (name == null) {
      return refuse(s, m.replyTo(), "conflict", "at most " + AppDynos.MAX_ONE_OFFS + " one-off dynos run at once");
    }
    api("Starting process with command `" + m.command() + "` by user " + m.user());
    return reply(s, m.replyTo(), "Running " + m.command() + " on " + s.name(), name.toString());
  }

  /** Null when the app exists, runs, and has code; else why the command cannot run. */
  private String needsCode(AppState s, String what) {
    if (!s.exists()) {
      return "Couldn't find that app.";
    }
    if (stopping) {
      return s.name() + " is stopping";
    }
    return s.slug() == null ? "nothing has been deployed to " + s.name() + " yet: " + what : null;
  }

  // --- stopping ---

  private Effect<AppEvent, AppState> beginStop(AppState s, ActorRef<Outcome> replyTo) {
    stopReplies.add(replyTo);
    stopping = true;
    dynos.reconcile(s, true);
    return stopIfDone(s);
  }

  private Effect<AppEvent, AppState> stopIfDone(AppState s) {
    if (stopping && dynos.isEmpty()) {
      if (s.name() != null) {
        wiring.router().tell(new Router.UnregisterApp(s.name()));
      }
      Outcome done = new Outcome(null, destroying ? "Destroyed " + s.name() : "All dynos of " + s.name() + " are down", null, view(s));
      stopReplies.forEach(r -> r.tell(done));
      return Effect().stop();
    }
    return Effect().none();
  }

  // --- what the dynos report ---

  private Effect<AppEvent, AppState> onDynoChanged(AppState s, DynoChanged m) {
    if (dynos.changed(m.status())) {
      wiring.router().tell(new Router.DynoChanged(m.status()));
      wiring.observers().dynos().accept(m.status());
    }
    return stopIfDone(s);
  }

  private Effect<AppEvent, AppState> onDynoStopped(AppState s, DynoStopped m) {
    if (m.name() != null) {
      dynos.stopped(m.name());
    }
    if (!stopping && s.exists()) {
      dynos.reconcile(s, false); // a stopped formation dyno comes back, as on Heroku
    }
    return stopIfDone(s);
  }

  // --- carrying the state out ---

  /**
   * Every dyno told its spec again (a lost one comes back), a dyno not heard of for a while shown
   * as lost, and the app's routes told the routers again (a router that joined late learns them).
   */
  private Effect<AppEvent, AppState> onCheck(AppState s, Check m) {
    if (!s.exists() || stopping) {
      return Effect().none();
    }
    for (DynoStatus lost : dynos.check()) {
      wiring.router().tell(new Router.DynoChanged(lost));
      wiring.observers().dynos().accept(lost);
    }
    wiring.router().tell(new Router.RegisterApp(s.name(),
        wiring.logs() instanceof ActorRef<LogChannel.Command> local ? local : null));
    tellRouterSettings(s);
    dynos.statuses().forEach(status -> wiring.router().tell(new Router.DynoChanged(status)));
    return Effect().none();
  }

  /** Router registration, router settings and dynos, as the state asks; then the periodic check. */
  private void carryOut(AppState s) {
    timers.startTimerWithFixedDelay(Check.INSTANCE, wiring.reconcileEvery());
    // on one node the channel's ref goes along; across nodes each router finds the channel by name
    wiring.router().tell(new Router.RegisterApp(s.name(),
        wiring.logs() instanceof ActorRef<LogChannel.Command> local ? local : null));
    tellDrains(s);
    rollTo(s);
  }

  /** The log channel delivers to the drains the app keeps. */
  private void tellDrains(AppState s) {
    wiring.logs().tell(new LogChannel.SetDrains(s.drains()));
  }

  /** After a new release: settings to the router, dynos restarted into it. */
  private void rollTo(AppState s) {
    tellRouterSettings(s);
    if (s.slug() != null) {
      dynos.rollTo(s);
    } else {
      dynos.reconcile(s, false); // rolled back to before any deploy: no dynos
    }
  }

  /** The router answers for the app in maintenance mode, and shows its own error pages if it has them. */
  private void tellRouterSettings(AppState s) {
    wiring.router().tell(new Router.AppSettings(s.name(), s.maintenance(),
        page(s.config().get("MAINTENANCE_PAGE_URL")), page(s.config().get("ERROR_PAGE_URL"))));
  }

  private static String page(String url) {
    return url == null || url.isBlank() ? null : url;
  }

  private Effect<AppEvent, AppState> reply(AppState s, ActorRef<Outcome> replyTo, String message, String detail) {
    return Effect().none().thenRun(x -> replyTo.tell(new Outcome(null, message, detail, view(x))));
  }

  private Effect<AppEvent, AppState> refuse(AppState s, ActorRef<Outcome> replyTo, String error, String message) {
    return Effect().none().thenRun(x -> replyTo.tell(new Outcome(error, message, null, view(x))));
  }

  private AppView view(AppState s) {
    return new AppView(s, dynos.views(s));
  }

  private Instant now() {
    return wiring.dynoSettings().clock().instant();
  }

  private void api(String message) {
    wiring.logs().tell(new LogChannel.Publish(LogLine.app(now(), "api", message)));
  }
}
