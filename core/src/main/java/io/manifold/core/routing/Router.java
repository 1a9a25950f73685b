package io.manifold.core.routing;

import io.manifold.core.CborSerializable;
import io.manifold.core.dyno.DynoName;
import io.manifold.core.dyno.DynoState;
import io.manifold.core.dyno.DynoStatus;
import io.manifold.core.logs.LogChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * A router node's view of the manifold: which apps exist and the state of each of their web
 * dynos. It is the only writer of its node's {@link RoutingTable}, which the HTTP front reads on
 * every request; each change here publishes a new snapshot of the table. A message that changes
 * nothing publishes none: every app tells its routes again at each check (every second), and a
 * new table each time made every router rebuild every app's snapshot and wake whatever watches
 * the table, many times a second on a node with many apps.
 */
public final class Router extends AbstractBehavior<Router.Command> {
  /** Settings kept for apps not registered yet; more are dropped (an app registers at once). */
  private static final int MAX_EARLY_SETTINGS = 1_000;

  public sealed interface Command extends CborSerializable {}

  /**
   * An app exists; its router lines go to {@code logs}, or, when that is null (the app lives on
   * another node), to the channel this node finds for it by name.
   */
  public record RegisterApp(String app, ActorRef<LogChannel.Command> logs) implements Command {}

  /** The app is gone: requests for it get Heroku's "no such app". */
  public record UnregisterApp(String app) implements Command {}

  /** A dyno changed state; only web dynos matter to the router, and only up ones get traffic. */
  public record DynoChanged(DynoStatus status) implements Command {}

  /**
   * The app's router settings, from its maintenance flag and config vars: in maintenance every
   * request gets H80 and the maintenance page; {@code MAINTENANCE_PAGE_URL} and
   * {@code ERROR_PAGE_URL} (null when unset) replace Heroku's pages. Sent by the app whenever one
   * of them changes; an app that never sent it has the {@link #defaults}.
   */
  public record AppSettings(String app, boolean maintenance, String maintenancePageUrl, String errorPageUrl)
      implements Command {
    public static AppSettings defaults(String app) {
      return new AppSettings(app, false, null, null);
    }
  }

  private static final class AppEntry {
    final RecipientRef<LogChannel.Command> logs;
    final RoutingPolicy policy;
    final Backlog backlog;
    final Map<DynoName, DynoStatus> web = new TreeMap<>();
    final Map<DynoName, Route> routes = new HashMap<>();
    AppSettings settings;

    AppEntry(String app, RecipientRef<LogChannel.Command> logs, RoutingPolicy policy, Backlog backlog, AppSettings settings) {
      this.logs = logs;
      this.policy = policy;
      this.backlog = backlog;
      this.settings = settings == null ? AppSettings.defaults(app) : settings;
    }

    AppRoutes snapshot(String app) {
      List<Route> up = new ArrayList<>();
      int starting = 0;
      int crashed = 0;
      for (DynoStatus s : web.values()) {
        switch (s.state()) {
          case UP -> {
            Route r = routes.get(s.name());
            if (r != null) {
              up.add(r);
            } else {
              starting++; // up but not (or no longer) taking requests: stopping, or binding
            }
          }
          case STARTING -> starting++;
          case CRASHED -> crashed++;
          case DOWN -> { }
        }
      }
      backlog.up(List.copyOf(up));
      return new AppRoutes(app, up, starting, crashed, policy, logs, backlog, settings);
    }
  }

  private final RoutingTable table;
  private final Function<String, RoutingPolicy> policies;
  private final Function<String, RecipientRef<LogChannel.Command>> logsFor;
  private final Map<String, AppEntry> apps = new HashMap<>();
  /** Settings that came before their app registered (the app actor sends both at start). */
  private final Map<String, AppSettings> early = new HashMap<>();

  /** @param policies a new policy for an app, by app name */
  public static Behavior<Command> create(RoutingTable table, Function<String, RoutingPolicy> policies) {
    return create(table, policies, app -> null);
  }

  /** @param logsFor an app's log channel by name, for apps registered without one (apps on other nodes) */
  public static Behavior<Command> create(
      RoutingTable table, Function<String, RoutingPolicy> policies, Function<String, RecipientRef<LogChannel.Command>> logsFor) {
    return Behaviors.setup(ctx -> new Router(ctx, table, policies, logsFor));
  }

  private Router(
      ActorContext<Command> ctx, RoutingTable table, Function<String, RoutingPolicy> policies,
      Function<String, RecipientRef<LogChannel.Command>> logsFor) {
    super(ctx);
    this.table = table;
    this.policies = policies;
    this.logsFor = logsFor;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(RegisterApp.class, this::onRegister)
        .onMessage(UnregisterApp.class, this::onUnregister)
        .onMessage(DynoChanged.class, this::onDynoChanged)
        .onMessage(AppSettings.class, this::onAppSettings)
        .build();
  }

  private Behavior<Command> onRegister(RegisterApp m) {
    if (!apps.containsKey(m.app())) {
      String app = m.app();
      apps.put(app, new AppEntry(app, m.logs() != null ? m.logs() : logsFor.apply(app), policies.apply(app), new Backlog(table), early.remove(app)));
      publish();
    }
    return this;
  }

  private Behavior<Command> onUnregister(UnregisterApp m) {
    AppEntry gone = apps.remove(m.app());
    early.remove(m.app());
    if (gone != null) {
      gone.routes.values().forEach(Route::retire);
      publish();
    }
    return this;
  }

  private Behavior<Command> onAppSettings(AppSettings m) {
    AppEntry entry = apps.get(m.app());
    if (entry == null) {
      if (early.size() < MAX_EARLY_SETTINGS) {
        early.put(m.app(), m);
      }
      return this;
    }
    if (!m.equals(entry.settings)) {
      entry.settings = m;
      publish();
    }
    return this;
  }

  private Behavior<Command> onDynoChanged(DynoChanged m) {
    DynoStatus status = m.status();
    AppEntry entry = apps.get(status.app());
    if (entry == null || !status.name().isWeb()) {
      return this;
    }
    DynoName name = status.name();
    boolean changed;
    if (status.state() == DynoState.DOWN) {
      DynoStatus before = entry.web.remove(name);
      Route gone = entry.routes.remove(name);
      retire(gone);
      changed = before != null || gone != null;
    } else {
      DynoStatus before = entry.web.put(name, status);
      changed = before == null || before.state() != status.state();
      Route current = entry.routes.get(name);
      if (status.endpoint() == null) {
        Route gone = entry.routes.remove(name);
        retire(gone);
        changed |= gone != null;
      } else if (current == null || !current.endpoint().equals(status.endpoint())) {
        retire(entry.routes.put(name, new Route(name, status.endpoint(), entry.backlog)));
        changed = true;
      }
    }
    if (changed) {
      publish(); // apps tell their dynos again every check: the same news makes no new table
    }
    return this;
  }

  private static void retire(Route gone) {
    if (gone != null) {
      gone.retire();
    }
  }

  private void publish() {
    Map<String, AppRoutes> next = new HashMap<>();
    apps.forEach((app, entry) -> next.put(app, entry.snapshot(app)));
    table.publish(next);
  }
}
