package io.manifold.cluster;

import io.manifold.core.app.App;
import io.manifold.core.app.AppHost;
import io.manifold.core.app.AppRegistry;
import io.manifold.core.app.DynoHost;
import io.manifold.core.dyno.Dyno;
import io.manifold.core.dyno.DynoName;
import io.manifold.core.dyno.DynoRuntime;
import io.manifold.core.dyno.DynoSettings;
import io.manifold.core.logs.DrainTransport;
import io.manifold.core.logs.LogChannel;
import io.manifold.core.logs.LogSettings;
import io.manifold.core.app.NodeObservers;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The manifold's sharded entity types, with their keys: an {@code App} by app name, a
 * {@code Dyno} by {@code app/web.1}, a {@code LogChannel} by app name. Every node hosts its share
 * of each and reaches all of them by id; when a node is lost, Cluster Sharding places its share on
 * the survivors, where an app recovers from its journal and starts its lost dynos again.
 */
final class Entities implements AppHost, DynoHost {
  static final EntityTypeKey<App.Command> APP = EntityTypeKey.create(App.Command.class, "App");
  static final EntityTypeKey<Dyno.Command> DYNO = EntityTypeKey.create(Dyno.Command.class, "Dyno");
  static final EntityTypeKey<LogChannel.Command> LOGS = EntityTypeKey.create(LogChannel.Command.class, "LogChannel");

  private final ClusterSharding sharding;

  private final ActorSystem<?> system;

  Entities(ActorSystem<?> system) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
  }

  /**
   * Starts this node's part of the three entity types.
   *
   * @param wiring what an app on this node gets from it (its router hub, observers, the runtime)
   */
  void init(
      AppRegistry.AppWiringFactory wiring,
      DynoRuntime runtime,
      DynoSettings dynoSettings,
      LogSettings logSettings,
      DrainTransport drains,
      NodeObservers observers,
      String node) {
    sharding.init(Entity.of(LOGS, ctx -> LogChannel.create(ctx.getEntityId(), logSettings, drains,
        observers.logs().apply(ctx.getEntityId()))));
    sharding.init(Entity.of(DYNO, ctx -> Dyno.idle(runtime, dynoSettings, this::logs, node, dynoName(ctx.getEntityId())))
        .withStopMessage(Dyno.HandOff.INSTANCE)
        .withMessageExtractor(new DynoShards<Dyno.Command>())
        .withAllocationStrategy(new DynoPlacement(Cluster.get(Adapter.toClassic(system)))));
    sharding.init(Entity.of(APP, ctx -> App.create(ctx.getEntityId(), wiring.wiringFor(logs(ctx.getEntityId())))));
  }

  /** {@code shop/web.1} to {@code web.1}. */
  static DynoName dynoName(String entityId) {
    return DynoName.parseOrNull(entityId.substring(entityId.indexOf('/') + 1));
  }

  @Override
  public RecipientRef<App.Command> app(String name) {
    return sharding.entityRefFor(APP, name);
  }

  @Override
  public RecipientRef<LogChannel.Command> logs(String name) {
    return sharding.entityRefFor(LOGS, name);
  }

  @Override
  public RecipientRef<Dyno.Command> dyno(String app, DynoName name) {
    return sharding.entityRefFor(DYNO, app + "/" + name);
  }
}
