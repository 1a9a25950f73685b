package io.manifold.sim.route;

import io.manifold.core.routing.Router;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Passes every message meant for "the router" on to each of K router nodes, so that one app
 * (which tells a single router about its dynos) keeps K routers informed, each of which then
 * publishes its own table with its own in-flight counts. In a cluster the routing table reaches
 * every node by other means; this is that, for one ActorSystem.
 */
public final class RouterFanOut {
  private RouterFanOut() {}

  public static Behavior<Router.Command> create(List<ActorRef<Router.Command>> routers) {
    List<ActorRef<Router.Command>> all = List.copyOf(routers);
    return Behaviors.receive(Router.Command.class)
        .onAnyMessage(m -> {
          for (ActorRef<Router.Command> router : all) {
            router.tell(m);
          }
          return Behaviors.same();
        })
        .build();
  }
}
