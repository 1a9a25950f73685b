package io.manifold.cluster;

import io.manifold.core.app.AppRegistry;
import io.manifold.core.app.Apps;
import io.manifold.core.app.NodeObservers;
import io.manifold.core.dyno.DynoRuntime;
import io.manifold.core.logs.LogCounters;
import io.manifold.core.routing.Router;
import io.manifold.core.routing.RoutingPolicies;
import io.manifold.core.routing.RoutingTable;
import io.manifold.http.HttpDrainTransport;
import io.manifold.http.RouterFront;
import io.manifold.http.api.ApiServer;
import io.manifold.http.api.ApiSettings;
import io.manifold.http.api.NodeInfo;
import io.manifold.http.metrics.ClusterMetrics;
import io.manifold.http.metrics.DynoMetrics;
import io.manifold.http.metrics.LogMetrics;
import io.manifold.http.metrics.MetricsRoute;
import io.manifold.http.metrics.NodeMetrics;
import io.manifold.http.metrics.RouterMetrics;
import io.manifold.http.metrics.RouterStats;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * Wires one node of the manifold: its share of the sharded apps, dynos and log channels; the app
 * registry (a cluster singleton, on the oldest node); its router with its table, registered with
 * the Receptionist so that every app's routes reach it; its router's figures, registered too, so
 * that any node's API can sum every node's; its router front and its API; its metrics. In
 * coordinated shutdown: stop taking requests, hand the node's dynos off (they stop the Heroku way,
 * and start again elsewhere if the cluster goes on), then make sure no process is left.
 */
final class NodeGuardian {
  /** What the node reports once it serves. */
  record Started(int routerPort, int apiPort, Apps apps, NodeMetrics metrics) {}

  private NodeGuardian() {}

  static Behavior<Void> create(NodeSettings settings, DynoRuntime runtime, CompletableFuture<Started> started) {
    return Behaviors.setup(ctx -> {
      NodeMetrics metrics = new NodeMetrics();
      RoutingTable table = new RoutingTable();
      RouterMetrics routerMetrics = new RouterMetrics(metrics, table);
      DynoMetrics dynoMetrics = new DynoMetrics(metrics, settings.node());
      LogMetrics logMetrics = new LogMetrics(metrics);
      ClusterMetrics.register(metrics, () -> Members.countByStatus(Cluster.get(ctx.getSystem())));
      NodeObservers observers = new NodeObservers(dynoMetrics, app -> counters(logMetrics.channel(app)), dynoMetrics::forget);

      Entities entities = new Entities(ctx.getSystem());
      ActorRef<Router.Command> router = ctx.spawn(Router.create(table,
          app -> RoutingPolicies.create(policy(settings, app), policyRandom(settings, app), "manifold.router.policy"),
          entities::logs), "router");
      ctx.getSystem().receptionist().tell(Receptionist.register(RouterHub.ROUTERS, router));
      ActorRef<Router.Command> hub = ctx.spawn(RouterHub.create(settings.reconcileEvery()), "router-hub").narrow();
      Duration figuresTimeout = settings.manifold().getDuration("api.router-stats-timeout");
      ActorRef<RouterFigures.Command> figures = ctx.spawn(
          RouterFigures.create(new RouterStats(settings.node(), metrics), figuresTimeout), "router-figures");

      AppRegistry.AppWiringFactory wiring = AppRegistry.AppWiringFactory.of(
          runtime, settings.dynos(), hub, settings.node(), observers, entities, settings.reconcileEvery());
      entities.init(wiring, runtime, settings.dynos(), settings.logs(), new HttpDrainTransport(), observers, settings.node());
      ActorRef<AppRegistry.Command> registry = ClusterSingleton.get(ctx.getSystem()).init(
          SingletonActor.of(AppRegistry.create(entities, settings.maxApps(), settings.reconcileEvery()), "app-registry"));
      Apps apps = new Apps(ctx.getSystem(), registry, entities, settings.manifold().getDuration("api.ask-timeout"));

      CoordinatedShutdown shutdown = CoordinatedShutdown.get(ctx.getSystem());
      // A node that was downed (the minority of a partition, as the Split Brain Resolver decided) is
      // fenced at once: its dynos are killed the moment it knows, not stopped the Heroku way, since
      // the majority starts them again a removal margin after its own decision, and a dyno must
      // never run on both sides.
      shutdown.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "fence-downed-node", () -> {
        if (shutdown.getShutdownReason().filter(r -> r == CoordinatedShutdown.clusterDowningReason()).isPresent()) {
          runtime.killAll();
        }
        return CompletableFuture.completedFuture(Done.getInstance());
      });
      // client pools (drains) closed before the system goes, rather than torn down with an error each
      shutdown.addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "close-client-pools",
          () -> org.apache.pekko.http.javadsl.Http.get(ctx.getSystem()).shutdownAllConnectionPools().thenApply(x -> Done.getInstance()));
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
            NodeInfo node = new NodeInfo(settings.node(), RouterFigures.readings(figures, ctx.getSystem().scheduler(), figuresTimeout),
                () -> Members.of(Cluster.get(ctx.getSystem())));
            return ApiServer.bind(ctx.getSystem(), api, apps, node, MetricsRoute.create(metrics)).thenApply(apiBinding -> {
              unbindOnShutdown(shutdown, "api-unbind", apiBinding);
              return new Started(routerPort, apiBinding.localAddress().getPort(), apps, metrics);
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

  /** The routing policy of an app: its own (manifold.router.app-policies.<app>), else the node's. */
  private static String policy(NodeSettings settings, String app) {
    String own = "router.app-policies.\"" + app + "\"";
    return settings.manifold().hasPath(own) ? settings.manifold().getString(own) : settings.router().policy();
  }

  /** Draws for an app's policy: seeded when the run must be repeatable (manifold.router.seed), else per thread. */
  private static java.util.random.RandomGenerator policyRandom(NodeSettings settings, String app) {
    String seed = settings.manifold().getString("router.seed").strip();
    if (seed.isEmpty()) {
      return RoutingPolicies.threadLocalRandom();
    }
    try {
      return RoutingPolicies.seeded(Long.parseLong(seed), settings.node(), app);
    } catch (NumberFormatException e) {
      throw new io.manifold.core.InputException("manifold.router.seed", "expected a whole number but found '" + seed + "'");
    }
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
    // a listener already gone (its node's IO torn down first) has nothing left to unbind
    shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), name,
        () -> binding.unbind().handle((x, gone) -> Done.getInstance()));
  }

}
