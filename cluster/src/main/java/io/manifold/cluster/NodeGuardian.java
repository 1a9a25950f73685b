package io.manifold.cluster;

import io.manifold.core.app.App;
import io.manifold.core.app.AppSpec;
import io.manifold.core.dyno.DynoSettings;
import io.manifold.core.dyno.ProcessRuntime;
import io.manifold.core.logs.LogChannel;
import io.manifold.core.logs.LogSettings;
import io.manifold.core.routing.Router;
import io.manifold.core.routing.RoutingPolicies;
import io.manifold.core.routing.RoutingTable;
import io.manifold.http.RouterFront;
import io.manifold.http.RouterSettings;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Wires one node: the router and its table, the app's log channel, the app (which starts its
 * dynos), and the router's HTTP front. Registers the node's part in coordinated shutdown: stop
 * taking requests, stop every dyno the Heroku way, then make sure no process is left.
 */
final class NodeGuardian {
  /** What the node reports once it serves. */
  record Started(int port, ActorRef<App.Command> app, ActorRef<LogChannel.Command> logs) {}

  private NodeGuardian() {}

  static Behavior<Void> create(
      AppSpec app,
      DynoSettings dynoSettings,
      LogSettings logSettings,
      RouterSettings routerSettings,
      ProcessRuntime runtime,
      CompletableFuture<Started> started) {
    return Behaviors.setup(ctx -> {
      RoutingTable table = new RoutingTable();
      ActorRef<Router.Command> router = ctx.spawn(Router.create(table,
          name -> RoutingPolicies.create(routerSettings.policy(), RoutingPolicies.threadLocalRandom(), "manifold.router.policy")),
          "router");
      ActorRef<LogChannel.Command> logs = ctx.spawn(LogChannel.create(logSettings), "logs-" + app.name());
      ActorRef<App.Command> appRef = ctx.spawn(App.create(app, runtime, dynoSettings, logs, router), "app-" + app.name());

      CoordinatedShutdown shutdown = CoordinatedShutdown.get(ctx.getSystem());
      Duration stopAll = dynoSettings.stopGrace().plusSeconds(15);
      shutdown.addTask(CoordinatedShutdown.PhaseServiceStop(), "stop-dynos", () ->
          AskPattern.<App.Command, App.Outcome>ask(appRef, App.Shutdown::new, stopAll, ctx.getSystem().scheduler())
              .handle((outcome, failure) -> Done.getInstance()));
      shutdown.addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "kill-leftover-processes", () -> {
        runtime.close();
        return CompletableFuture.completedFuture(Done.getInstance());
      });

      RouterFront.bind(ctx.getSystem(), routerSettings, table).whenComplete((binding, failure) -> {
        if (failure != null) {
          started.completeExceptionally(failure);
          return;
        }
        shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), "router-unbind", () ->
            binding.unbind().thenApply(x -> Done.getInstance()));
        started.complete(new Started(binding.localAddress().getPort(), appRef, logs));
      });
      return Behaviors.empty();
    });
  }
}
