package io.manifold.cluster;

import io.manifold.core.dyno.DynoName;
import io.manifold.core.dyno.DynoState;
import io.manifold.core.routing.Router;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * How an app's routes reach every router: each node's router registers with the Receptionist,
 * and each node's hub passes what its apps tell "the router" on to every router it knows of. The
 * app is the single writer of its routes and re-sends them all at each periodic check, so a
 * router that missed a message while a node was unreachable catches up within a check. (Distributed
 * Data would gossip the same table, but with seconds of delay and merge rules for a table that has
 * one writer per app anyway.)
 *
 * <p>A router that joins late is told the last routes of this node's apps the moment the
 * Receptionist lists it, rather than at their next check: a fresh node's router would otherwise
 * answer "no such app" for up to a check longer. What is replayed is only what an app said within
 * the last {@link #FRESH_CHECKS} checks: an app whose entity moved to another node stops talking
 * here, and its old routes must not reach a router as if they were current.
 */
final class RouterHub {
  static final ServiceKey<Router.Command> ROUTERS = ServiceKey.create(Router.Command.class, "routers");

  /** How many checks an app may stay silent before its routes are no longer replayed, and dropped. */
  static final int FRESH_CHECKS = 3;

  private RouterHub() {}

  /** The routers the Receptionist knows now. */
  private record Routers(Set<ActorRef<Router.Command>> routers) {}

  /** Drops the routes of apps that have gone silent. */
  private enum Purge { INSTANCE }

  /** The last of what one app told the routers; bounded by the app's dynos, dropped when the app goes. */
  private static final class Routes {
    Router.RegisterApp register;
    Router.AppSettings settings;
    final Map<DynoName, Router.DynoChanged> dynos = new LinkedHashMap<>();
    long heardAt;

    void replayTo(ActorRef<Router.Command> router) {
      if (register == null) {
        return; // a router without the app would ignore its settings and dynos
      }
      router.tell(register);
      if (settings != null) {
        router.tell(settings);
      }
      dynos.values().forEach(router::tell);
    }
  }

  /**
   * Every router command sent here goes to every router in the cluster. Spawn it, then narrow its
   * ref to {@code ActorRef<Router.Command>} for the apps; {@code checkEvery} is the apps' check.
   */
  static Behavior<Object> create(Duration checkEvery) {
    long freshNanos = checkEvery.multipliedBy(FRESH_CHECKS).toNanos();
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Purge.INSTANCE, checkEvery.multipliedBy(FRESH_CHECKS));
      Set<ActorRef<Router.Command>> routers = new HashSet<>();
      Map<String, Routes> apps = new HashMap<>();
      ActorRef<Receptionist.Listing> listings =
          ctx.messageAdapter(Receptionist.Listing.class, l -> new Routers(l.getServiceInstances(ROUTERS)));
      ctx.getSystem().receptionist().tell(Receptionist.subscribe(ROUTERS, listings));
      return Behaviors.receive(Object.class)
          .onMessage(Routers.class, m -> {
            long now = System.nanoTime();
            for (ActorRef<Router.Command> router : m.routers()) {
              if (!routers.contains(router)) {
                apps.values().stream().filter(r -> now - r.heardAt <= freshNanos).forEach(r -> r.replayTo(router));
              }
            }
            routers.clear();
            routers.addAll(m.routers());
            return Behaviors.same();
          })
          .onMessage(Router.Command.class, m -> {
            remember(apps, m);
            routers.forEach(r -> r.tell(m));
            return Behaviors.same();
          })
          .onMessage(Purge.class, m -> {
            long now = System.nanoTime();
            apps.values().removeIf(r -> now - r.heardAt > freshNanos);
            return Behaviors.same();
          })
          .build();
    }));
  }

  private static void remember(Map<String, Routes> apps, Router.Command m) {
    if (m instanceof Router.UnregisterApp u) {
      apps.remove(u.app());
    } else if (m instanceof Router.RegisterApp r) {
      routes(apps, r.app()).register = r;
    } else if (m instanceof Router.AppSettings s) {
      routes(apps, s.app()).settings = s;
    } else if (m instanceof Router.DynoChanged d) {
      Routes routes = routes(apps, d.status().app());
      if (d.status().state() == DynoState.DOWN) {
        routes.dynos.remove(d.status().name()); // a router that never had it needs no word of its end
      } else {
        routes.dynos.put(d.status().name(), d);
      }
    }
  }

  private static Routes routes(Map<String, Routes> apps, String app) {
    Routes routes = apps.computeIfAbsent(app, a -> new Routes());
    routes.heardAt = System.nanoTime();
    return routes;
  }
}
