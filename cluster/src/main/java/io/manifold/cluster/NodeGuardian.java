package io.manifold.cluster;

import io.manifold.core.app.AppRegistry;
import io.manifold.core.app.NodeObservers;
import io.manifold.core.logs.LogCounters;
import io.manifold.core.dyno.ProcessRuntime;
import io.manifold.core.routing.Router;
import io.manifold.core.routing.RoutingPolicies;
import io.manifold.core.routing.RoutingTable;
import io.manifold.http.HttpDrainTransport;
import io.manifold.http.RouterFront;
import io.manifold.http.api.ApiServer;
import io.manifold.http.api.ApiSettings;
import io.manifold.http.api.NodeInfo;
import io.manifold.http.metrics.DynoMetrics;
import io.manifold.http.metrics.LogMetrics;
import io.manifold.http.metrics.MetricsRoute;
import io.manifold.http.metrics.NodeMetrics;
import io.manifold.http.metrics.RouterMetrics;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * Wires one node: the router and its table, the app registry (which makes each app with its log
 * channel and dynos), the router's HTTP front and the Platform API. Registers the node's part in
 * coordinated shutdown: stop taking requests, stop every dyno the Heroku way, then make sure no
 * process is left.
 */
final class NodeGuardian {
  /** What the node reports once it serves. */
  record Started(int routerPort, int apiPort, ActorRef<AppRegistry.Command> registry) {}

  private NodeGuardian() {}

  static Behavior<Void> create(NodeSettings settings, ProcessRuntime runtime, CompletableFuture<Started> started) {
    return Behaviors.setup(ctx -> {
      RoutingTable table = new RoutingTable();
      ActorRef<Router.Command> router = ctx.spawn(Router.create(table,
          name -> RoutingPolicies.create(settings.router().policy(), RoutingPolicies.threadLocalRandom(), "manifold.router.policy")),
          "router");
      NodeMetrics metrics = new NodeMetrics();
      RouterMetrics routerMetrics = new RouterMetrics(metrics, table);
      DynoMetrics dynoMetrics = new DynoMetrics(metrics, settings.node());
      LogMetrics logMetrics = new LogMetrics(metrics);
      NodeObservers observers = new NodeObservers(dynoMetrics, app -> counters(logMetrics.channel(app)), dynoMetrics::forget);
      ActorRef<AppRegistry.Command> registry = ctx.spawn(AppRegistry.create(
          AppRegistry.AppWiringFactory.of(runtime, settings.dynos(), router, settings.node(), observers),
          settings.logs(), new HttpDrainTransport(), settings.maxApps()), "apps");

      CoordinatedShutdown shutdown = CoordinatedShutdown.get(ctx.getSystem());
      Duration stopAll = settings.dynos().stopGrace().plusSeconds(15);
      shutdown.addTask(CoordinatedShutdown.PhaseServiceStop(), "stop-dynos", () ->
          AskPattern.<AppRegistry.Command, AppRegistry.ShutDown>ask(registry, AppRegistry.ShutdownAll::new, stopAll, ctx.getSystem().scheduler())
              .handle((done, failure) -> Done.getInstance()));
      shutdown.addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "kill-leftover-processes", () -> {
        runtime.close();
        return CompletableFuture.completedFuture(Done.getInstance());
      });

      RouterFront.bind(ctx.getSystem(), settings.router(), table, routerMetrics)
          .thenCompose(routerBinding -> {
            unbindOnShutdown(shutdown, "router-unbind", routerBinding);
            int routerPort = routerBinding.localAddress().getPort();
            String routerUrl = "http://%s." + settings.router().domain() + ":" + routerPort + "/";
            ApiSettings api = settings.api(routerUrl);
            NodeInfo node = NodeInfo.single(settings.node(), metrics);
            return ApiServer.bind(ctx.getSystem(), api, registry, node, MetricsRoute.create(metrics)).thenApply(apiBinding -> {
              unbindOnShutdown(shutdown, "api-unbind", apiBinding);
              return new Started(routerPort, apiBinding.localAddress().getPort(), registry);
            });
          })
          .whenComplete((s, failure) -> {
            if (failure != null) {
              started.completeExceptionally(failure);
            } else {
              started.complete(s);
            }
          });
      return Behaviors.empty();
    });
  }

  private static LogCounters counters(LogMetrics.Channel channel) {
    return new LogCounters() {
      @Override
      public void published(int lines) {
        channel.published(lines);
      }

      @Override
      public void tailDropped(long lines) {
        channel.tailDropped(lines);
      }

      @Override
      public void drainDropped(long lines) {
        channel.drainDropped(lines);
      }
    };
  }

  private static void unbindOnShutdown(CoordinatedShutdown shutdown, String name, ServerBinding binding) {
    shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), name, () -> binding.unbind().thenApply(x -> Done.getInstance()));
  }
}
