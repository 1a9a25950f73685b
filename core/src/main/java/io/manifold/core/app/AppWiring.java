package io.manifold.core.app;

import io.manifold.core.dyno.DynoRuntime;
import io.manifold.core.dyno.DynoSettings;
import io.manifold.core.logs.LogChannel;
import io.manifold.core.routing.Router;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;

/**
 * What an app needs from its node: the runtime that runs its dynos, the dyno manager's timings,
 * its log channel, the node's router (which passes the app's routes on to every router), the
 * node's name, what watches its dynos for the node's metrics, where its dynos live, and how often
 * it makes sure its dynos run (which is how a dyno lost with its node comes back).
 *
 * @param host null: the app's dynos are its own children
 * @param reconcileEvery how often the app checks its dynos; a dyno not heard of for three of these
 *     is taken for lost (and its requests wait, as for a booting dyno, until it is back)
 */
public record AppWiring(
    DynoRuntime runtime,
    DynoSettings dynoSettings,
    RecipientRef<LogChannel.Command> logs,
    ActorRef<Router.Command> router,
    String node,
    NodeObservers observers,
    DynoHost host,
    Duration reconcileEvery) {

  public static final Duration DEFAULT_RECONCILE = Duration.ofSeconds(1);

  public AppWiring(DynoRuntime runtime, DynoSettings dynoSettings, RecipientRef<LogChannel.Command> logs, ActorRef<Router.Command> router, String node) {
    this(runtime, dynoSettings, logs, router, node, NodeObservers.NONE, null, DEFAULT_RECONCILE);
  }

  public AppWiring(
      DynoRuntime runtime, DynoSettings dynoSettings, RecipientRef<LogChannel.Command> logs, ActorRef<Router.Command> router,
      String node, NodeObservers observers) {
    this(runtime, dynoSettings, logs, router, node, observers, null, DEFAULT_RECONCILE);
  }
}
