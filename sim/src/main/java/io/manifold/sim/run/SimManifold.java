package io.manifold.sim.run;

import io.manifold.core.CborSerializable;
import io.manifold.core.dyno.DynoSettings;
import io.manifold.core.logs.LogChannel;
import io.manifold.core.logs.LogSettings;
import io.manifold.core.routing.Router;
import io.manifold.core.routing.RoutingPolicy;
import io.manifold.core.routing.RoutingTable;
import io.manifold.sim.route.RouterFanOut;
import io.manifold.sim.runtime.SyntheticRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The actors of one simulated manifold: the app's log channel, K core {@link Router} actors (one
 * per router node, each the only writer of its own {@link RoutingTable}), and the app's web
 * dynos on one or more simulated nodes. {@link Stop} ends them all; dynos still running are
 * killed on the way, as when a node shuts down. {@link KillNode} loses one node.
 */
public final class SimManifold {

  public sealed interface Command extends CborSerializable {}

  public enum Stop implements Command { INSTANCE }

  /** Node {@code node} (0-based) of the simulated cluster goes down (see {@link WebFormation}). */
  public record KillNode(int node) implements Command {}

  private SimManifold() {}

  /** A manifold of one node. */
  public static Behavior<Command> create(
      String app, int dynos, SyntheticRuntime runtime, DynoSettings dynoSettings,
      List<RoutingTable> tables, List<Function<String, RoutingPolicy>> policies) {
    return create(app, dynos, List.of(runtime), Duration.ofSeconds(10), dynoSettings, tables, policies);
  }

  /**
   * @param nodes one synthetic runtime per node of the simulated cluster
   * @param detection from a node's loss until its dynos start on the other nodes
   * @param tables one per router node
   * @param policies one per router node: the policy a router gives an app, by app name
   */
  public static Behavior<Command> create(
      String app, int dynos, List<SyntheticRuntime> nodes, Duration detection, DynoSettings dynoSettings,
      List<RoutingTable> tables, List<Function<String, RoutingPolicy>> policies) {
    return Behaviors.setup(ctx -> {
      ActorRef<LogChannel.Command> logs = ctx.spawn(LogChannel.create(LogSettings.HEROKU), "logs");
      List<ActorRef<Router.Command>> routers = new ArrayList<>();
      for (int k = 0; k < tables.size(); k++) {
        routers.add(ctx.spawn(Router.create(tables.get(k), policies.get(k)), "router-" + (k + 1)));
      }
      ActorRef<Router.Command> router = routers.size() == 1 ? routers.get(0) : ctx.spawn(RouterFanOut.create(routers), "routers");
      ActorRef<WebFormation.Command> formation =
          ctx.spawn(WebFormation.create(app, dynos, nodes, detection, dynoSettings, logs, router), "formation");
      return Behaviors.receive(Command.class)
          .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
          .onMessage(KillNode.class, m -> {
            formation.tell(new WebFormation.KillNode(m.node()));
            return Behaviors.same();
          })
          .build();
    });
  }
}
