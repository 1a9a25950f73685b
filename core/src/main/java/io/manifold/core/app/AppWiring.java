package io.manifold.core.app;

import io.manifold.core.dyno.DynoRuntime;
import io.manifold.core.dyno.DynoSettings;
import io.manifold.core.logs.LogChannel;
import io.manifold.core.routing.Router;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What an app needs from its node: the runtime that runs its dynos, the dyno manager's timings,
 * its log channel, the node's router, the node's name (shown in {@code ps}), and what watches its
 * dynos for the node's metrics.
 */
public record AppWiring(
    DynoRuntime runtime,
    DynoSettings dynoSettings,
    ActorRef<LogChannel.Command> logs,
    ActorRef<Router.Command> router,
    String node,
    NodeObservers observers) {

  public AppWiring(DynoRuntime runtime, DynoSettings dynoSettings, ActorRef<LogChannel.Command> logs, ActorRef<Router.Command> router, String node) {
    this(runtime, dynoSettings, logs, router, node, NodeObservers.NONE);
  }
}
