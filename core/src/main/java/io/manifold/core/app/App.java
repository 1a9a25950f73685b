package io.manifold.core.app;

import io.manifold.core.CborSerializable;
import io.manifold.core.dyno.Dyno;
import io.manifold.core.dyno.DynoName;
import io.manifold.core.dyno.DynoStatus;
import io.manifold.core.logs.LogChannel;
import io.manifold.core.logs.LogLine;
import io.manifold.core.routing.Router;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * An app: its releases, formation and maintenance flag ({@link AppState}, changed only through
 * {@link AppEvent}s), and the dynos that run them ({@link AppDynos}). A command is checked whole
 * before anything changes, so a rejected command changes nothing; an accepted one becomes events,
 * the events change the state, and the dynos follow the state. Every change is logged as Heroku's
 * API logs it ({@code app[api]: Scale to web=3 by user ...}).
 */
public final class App extends AbstractBehavior<App.Command> {

  public sealed interface Command extends CborSerializable {}

  public record GetView(ActorRef<AppView> replyTo) implements Command {}

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

  /** The bound on a process type's quantity, as Heroku's default limit. */
  public static final int MAX_QUANTITY = 100;

  private final AppWiring wiring;
  private final AppDynos dynos;
  private final List<ActorRef<Outcome>> stopReplies = new ArrayList<>();
  private AppState state = AppState.empty();
  private boolean stopping;
  private boolean destroying;

  /**
   * An app whose past is {@code history} (at least its {@link AppEvent.Created}); its dynos start
   * as that state asks.
   */
  public static Behavior<Command> create(List<AppEvent> history, AppWiring wiring) {
    return Behaviors.setup(ctx -> new App(ctx, history, wiring));
  }

  private App(ActorContext<Command> ctx, List<AppEvent> history, AppWiring wiring) {
    super(ctx);
    this.wiring = wiring;
    this.dynos = new AppDynos(ctx, wiring,
        ctx.messageAdapter(DynoStatus.class, DynoChanged::new),
        ctx.messageAdapter(Dyno.Stopped.class, s -> new DynoStopped(s.name())));
    for (AppEvent e : history) {
      state = state.apply(e);
    }
    wiring.router().tell(new Router.RegisterApp(state.name(), wiring.logs()));
    tellRouterSettings();
    dynos.reconcile(state, false);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(GetView.class, m -> {
          m.replyTo().tell(view());
          return this;
        })
        .onMessage(Deploy.class, this::onDeploy)
        .onMessage(Scale.class, this::onScale)
        .onMessage(SetConfig.class, this::onSetConfig)
        .onMessage(Rollback.class, this::onRollback)
        .onMessage(SetMaintenance.class, this::onSetMaintenance)
        .onMessage(Restart.class, this::onRestart)
        .onMessage(Stop.class, this::onStop)
        .onMessage(RunOneOff.class, this::onRunOneOff)
        .onMessage(Destroy.class, this::onDestroy)
        .onMessage(Shutdown.class, this::onShutdown)
        .onMessage(DynoChanged.class, this::onDynoChanged)
        .onMessage(DynoStopped.class, this::onDynoStopped)
        .build();
  }

  // --- commands ---

  private Behavior<Command> onDeploy(Deploy m) {
    if (refuseWhileStopping(m.replyTo())) {
      return this;
    }
    Instant now = now();
    boolean first = state.slug() == null;
    api("Deploy " + m.slug().shortId() + " by user " + m.user());
    release("Deploy " + m.slug().shortId(), state.config(), m.slug(), m.user(), now);
    if (first && state.quantities().containsKey("web") && state.quantity("web") == 0) {
      // Heroku scales web to 1 on an app's first deploy
      apply(new AppEvent.Scaled(Map.of("web", 1), Map.of(), m.user(), now));
    }
    dynos.rollTo(state);
    return reply(m.replyTo(), "Deployed v" + state.current().version(), null);
  }

  private Behavior<Command> onScale(Scale m) {
    if (refuseWhileStopping(m.replyTo())) {
      return this;
    }
    Map<String, Integer> quantities = new LinkedHashMap<>();
    Map<String, String> sizes = new LinkedHashMap<>();
    for (String type : state.quantities().keySet()) { // the Procfile's order
      Quantity q = m.quantities().get(type);
      if (q != null) {
        quantities.put(type, q.applyTo(state.quantity(type)));
      }
      String size = m.sizes().get(type);
      if (size != null) {
        sizes.put(type, DynoSize.find(size).map(DynoSize::name).orElse(size));
      }
    }
    String invalid = invalidScale(m, quantities);
    if (invalid != null) {
      return reject(m.replyTo(), "invalid_params", invalid);
    }
    StringBuilder what = new StringBuilder();
    for (String type : state.quantities().keySet()) {
      if (quantities.containsKey(type) || sizes.containsKey(type)) {
        what.append(what.length() == 0 ? "" : ", ").append(type).append('=')
            .append(quantities.getOrDefault(type, state.quantity(type)))
            .append(sizes.containsKey(type) ? ":" + sizes.get(type) : "");
      }
    }
    if (what.length() > 0) {
      api("Scale to " + what + " by user " + m.user());
      apply(new AppEvent.Scaled(quantities, sizes, m.user(), now()));
      dynos.reconcile(state, false);
    }
    return reply(m.replyTo(), "Scaled to " + Formation.describe(state.quantities()), null);
  }

  /** Null when every type exists, every quantity is in bounds and every size is Heroku's; else why not. */
  private String invalidScale(Scale m, Map<String, Integer> quantities) {
    for (String type : m.quantities().keySet()) {
      if (!state.quantities().containsKey(type)) {
        return noSuchType(type);
      }
    }
    for (Map.Entry<String, String> e : m.sizes().entrySet()) {
      if (!state.quantities().containsKey(e.getKey())) {
        return noSuchType(e.getKey());
      }
      if (DynoSize.find(e.getValue()).isEmpty()) {
        return "'" + e.getValue() + "' is not a dyno size; expected one of " + DynoSize.names();
      }
    }
    for (Map.Entry<String, Integer> e : quantities.entrySet()) {
      if (e.getValue() < 0 || e.getValue() > MAX_QUANTITY) {
        return "the quantity of '" + e.getKey() + "' must be between 0 and " + MAX_QUANTITY + ", not " + e.getValue();
      }
    }
    return null;
  }

  private String noSuchType(String type) {
    return state.quantities().isEmpty()
        ? "no process type '" + type + "': nothing has been deployed to " + state.name() + " yet"
        : "no process type '" + type + "' in the Procfile of " + state.name() + "; expected one of "
            + String.join(", ", state.quantities().keySet());
  }

  private Behavior<Command> onSetConfig(SetConfig m) {
    if (refuseWhileStopping(m.replyTo())) {
      return this;
    }
    Map<String, String> config = new TreeMap<>(state.config());
    List<String> set = new ArrayList<>();
    List<String> unset = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(m.changes()).entrySet()) {
      if (!e.getKey().matches("\\w{1,256}")) {
        return reject(m.replyTo(), "invalid_params",
            "config var names are letters, digits and '_' (at most 256); '" + e.getKey() + "' is not");
      }
      if (e.getValue() == null) {
        if (config.remove(e.getKey()) != null) {
          unset.add(e.getKey());
        }
      } else if (!e.getValue().equals(config.put(e.getKey(), e.getValue()))) {
        set.add(e.getKey());
      }
    }
    if (set.isEmpty() && unset.isEmpty()) {
      return reply(m.replyTo(), "No change", null); // Heroku makes no release for a change that changes nothing
    }
    String description = !set.isEmpty() && !unset.isEmpty()
        ? "Set " + String.join(", ", set) + " and remove " + String.join(", ", unset) + " config vars"
        : !set.isEmpty() ? "Set " + String.join(", ", set) + " config vars"
        : "Remove " + String.join(", ", unset) + " config vars";
    api(description + " by user " + m.user());
    release(description, config, state.slug(), m.user(), now());
    rollTo();
    return reply(m.replyTo(), "Release v" + state.current().version(), null);
  }

  private Behavior<Command> onRollback(Rollback m) {
    if (refuseWhileStopping(m.replyTo())) {
      return this;
    }
    Release target = state.release(m.version()).orElse(null);
    if (target == null) {
      return reject(m.replyTo(), "not_found", "Couldn't find that release: " + state.name() + " has no v" + m.version());
    }
    String description = "Rollback to v" + target.version();
    api(description + " by user " + m.user());
    release(description, target.config(), target.slug(), m.user(), now());
    rollTo();
    return reply(m.replyTo(), "Rolled back to v" + target.version() + " as v" + state.current().version(), null);
  }

  private Behavior<Command> onSetMaintenance(SetMaintenance m) {
    if (refuseWhileStopping(m.replyTo())) {
      return this;
    }
    if (m.on() != state.maintenance()) {
      api((m.on() ? "Enable" : "Disable") + " maintenance mode by user " + m.user());
      apply(new AppEvent.MaintenanceChanged(m.on(), m.user(), now()));
      tellRouterSettings();
    }
    return reply(m.replyTo(), "Maintenance mode " + (m.on() ? "on" : "off"), null);
  }

  private Behavior<Command> onRestart(Restart m) {
    if (refuseWhileStopping(m.replyTo())) {
      return this;
    }
    if (state.slug() == null) {
      return reject(m.replyTo(), "invalid_params", "nothing has been deployed to " + state.name() + " yet: there are no dynos to restart");
    }
    List<DynoName> targets = dynos.restart(state, m.which());
    if (targets.isEmpty() && m.which() != null) {
      return reject(m.replyTo(), "not_found", "Couldn't find that dyno or process type: " + m.which());
    }
    api("Restart " + (m.which() == null ? "all dynos" : m.which()) + " by user " + m.user());
    return reply(m.replyTo(), "Restarting " + targets.size() + " dyno" + (targets.size() == 1 ? "" : "s"), null);
  }

  private Behavior<Command> onStop(Stop m) {
    if (refuseWhileStopping(m.replyTo())) {
      return this;
    }
    List<DynoName> targets = dynos.stop(m.which());
    if (targets.isEmpty()) {
      return reject(m.replyTo(), "not_found", "Couldn't find that dyno or process type: " + m.which());
    }
    api("Stop " + m.which() + " by user " + m.user());
    return reply(m.replyTo(), "Stopping " + targets.size() + " dyno" + (targets.size() == 1 ? "" : "s"), null);
  }

  private Behavior<Command> onRunOneOff(RunOneOff m) {
    if (refuseWhileStopping(m.replyTo())) {
      return this;
    }
    if (state.slug() == null) {
      return reject(m.replyTo(), "invalid_params", "nothing has been deployed to " + state.name() + " yet: deploy code before running a command");
    }
    if (m.command() == null || m.command().isBlank()) {
      return reject(m.replyTo(), "invalid_params", "a one-off dyno needs a command");
    }
    DynoName name = dynos.runOneOff(state, m.command(), m.env() == null ? Map.of() : m.env());
    if (name == null) {
      return reject(m.replyTo(), "conflict", "at most " + AppDynos.MAX_ONE_OFFS + " one-off dynos run at once");
    }
    api("Starting process with command `" + m.command() + "` by user " + m.user());
    return reply(m.replyTo(), "Running " + m.command() + " on " + state.name(), name.toString());
  }

  private Behavior<Command> onDestroy(Destroy m) {
    api("Destroy " + state.name() + " by user " + m.user());
    apply(new AppEvent.Destroyed(m.user(), now()));
    destroying = true;
    return beginStop(m.replyTo());
  }

  private Behavior<Command> onShutdown(Shutdown m) {
    return beginStop(m.replyTo());
  }

  private Behavior<Command> beginStop(ActorRef<Outcome> replyTo) {
    stopReplies.add(replyTo);
    stopping = true;
    dynos.reconcile(state, true);
    return stopIfDone();
  }

  // --- what the dynos report ---

  private Behavior<Command> onDynoChanged(DynoChanged m) {
    if (dynos.changed(m.status())) {
      wiring.router().tell(new Router.DynoChanged(m.status()));
      wiring.observers().dynos().accept(m.status());
    }
    return stopIfDone();
  }

  private Behavior<Command> onDynoStopped(DynoStopped m) {
    dynos.stopped(m.name());
    if (!stopping) {
      dynos.reconcile(state, false); // a stopped formation dyno comes back, as on Heroku
    }
    return stopIfDone();
  }

  private Behavior<Command> stopIfDone() {
    if (stopping && dynos.isEmpty()) {
      wiring.router().tell(new Router.UnregisterApp(state.name()));
      Outcome done = new Outcome(null, destroying ? "Destroyed " + state.name() : "All dynos of " + state.name() + " are down", null, view());
      stopReplies.forEach(r -> r.tell(done));
      return Behaviors.stopped();
    }
    return this;
  }

  // --- helpers ---

  private void release(String description, Map<String, String> config, Slug slug, String user, Instant at) {
    Release r = new Release(state.nextVersion(), UUID.randomUUID().toString(), description, config, slug, user, at);
    apply(new AppEvent.Released(r, at));
    api("Release v" + r.version() + " created by user " + user);
    tellRouterSettings();
  }

  /** The router answers for the app in maintenance mode, and shows its own error pages if it has them. */
  private void tellRouterSettings() {
    wiring.router().tell(new Router.AppSettings(state.name(), state.maintenance(),
        page(state.config().get("MAINTENANCE_PAGE_URL")), page(state.config().get("ERROR_PAGE_URL"))));
  }

  private static String page(String url) {
    return url == null || url.isBlank() ? null : url;
  }

  private void rollTo() {
    if (state.slug() != null) {
      dynos.rollTo(state);
    } else {
      dynos.reconcile(state, false); // rolled back to before any deploy: no dynos
    }
  }

  private void apply(AppEvent event) {
    state = state.apply(event);
  }

  private boolean refuseWhileStopping(ActorRef<Outcome> replyTo) {
    if (stopping) {
      replyTo.tell(new Outcome("conflict", state.name() + " is " + (destroying ? "being deleted" : "stopping"), null, view()));
      return true;
    }
    return false;
  }

  private Behavior<Command> reply(ActorRef<Outcome> replyTo, String message, String detail) {
    replyTo.tell(new Outcome(null, message, detail, view()));
    return this;
  }

  private Behavior<Command> reject(ActorRef<Outcome> replyTo, String error, String message) {
    replyTo.tell(new Outcome(error, message, null, view()));
    return this;
  }

  private AppView view() {
    return new AppView(state, dynos.views(state, wiring.node()));
  }

  private Instant now() {
    return wiring.dynoSettings().clock().instant();
  }

  private void api(String message) {
    wiring.logs().tell(new LogChannel.Publish(LogLine.app(now(), "api", message)));
  }
}
