package io.manifold.sim.run;

import io.manifold.core.CborSerializable;
import io.manifold.core.dyno.DynoRuntime;
import io.manifold.core.dyno.DynoSettings;
import io.manifold.core.logs.LogChannel;
import io.manifold.core.logs.LogSettings;
import io.manifold.core.routing.Router;
import io.manifold.core.routing.RoutingPolicy;
import io.manifold.core.routing.RoutingTable;
import io.manifold.sim.route.RouterFanOut;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The actors of one simulated manifold: the app's log channel, K core {@link Router} actors (one
 * per router node, each the only writer of its own {@link RoutingTable}), and the app's web
 * dynos. {@link Stop} ends them all; dynos still running are killed on the way, as when a node
 * shuts down.
 */
public final class SimManifold {

  public sealed interface Command extends CborSerializable {}

  public enum Stop implements Command { INSTANCE }

  private SimManifold() {}

  /**
   * @param tables one per router node
   * @param policies one per router node: the policy a router gives an app, by app name
   */
  public static Behavior<Command> create(
      String app, int dynos, DynoRuntime runtime, DynoSettings dynoSettings,
      List<RoutingTable> tables, List<Function<String, RoutingPolicy>> policies) {
    return Behaviors.setup(ctx -> {
      ActorRef<LogChannel.Command> logs = ctx.spawn(LogChannel.create(LogSettings.HEROKU), "logs");
      List<ActorRef<Router.Command>> routers = new ArrayList<>();
      for (int k = 0; k < tables.size(); k++) {
        routers.add(ctx.spawn(Router.create(tables.get(k), policies.get(k)), "router-" + (k + 1)));
      }
      ActorRef<Router.Command> router = routers.size() == 1 ? routers.get(0) : ctx.spawn(RouterFanOut.create(routers), "routers");
      ctx.spawn(WebFormation.create(app, dynos, runtime, dynoSettings, logs, router), "formation");
      return Behaviors.receive(Command.class)
          .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
          .build();
    });
  }
}
