package io.manifold.cluster;

import io.manifold.core.routing.Router;
import java.util.HashSet;
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
 * router that joins late, or missed a message while a node was unreachable, catches up within a
 * check. (Distributed Data would gossip the same table, but with seconds of delay and merge rules
 * for a table that has one writer per app anyway.)
 */
final class RouterHub {
  static final ServiceKey<Router.Command> ROUTERS = ServiceKey.create(Router.Command.class, "routers");

  private RouterHub() {}

  /** The routers the Receptionist knows now. */
  private record Routers(Set<ActorRef<Router.Command>> routers) {}

  /**
   * Every router command sent here goes to every router in the cluster. Spawn it, then narrow its
   * ref to {@code ActorRef<Router.Command>} for the apps.
   */
  static Behavior<Object> create() {
    return Behaviors.setup(ctx -> {
      Set<ActorRef<Router.Command>> routers = new HashSet<>();
      ActorRef<Receptionist.Listing> listings =
          ctx.messageAdapter(Receptionist.Listing.class, l -> new Routers(l.getServiceInstances(ROUTERS)));
      ctx.getSystem().receptionist().tell(Receptionist.subscribe(ROUTERS, listings));
      return Behaviors.receive(Object.class)
          .onMessage(Routers.class, m -> {
            routers.clear();
            routers.addAll(m.routers());
            return Behaviors.same();
          })
          .onMessage(Router.Command.class, m -> {
            routers.forEach(r -> r.tell(m));
            return Behaviors.same();
          })
          .build();
    });
  }
}
