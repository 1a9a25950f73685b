package io.manifold.cluster;

import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.ShardingMessageExtractor;

/**
 * Every dyno is a shard of its own (shard id = entity id, {@code shop/web.1}), so that
 * {@link DynoPlacement} places each dyno, rather than a hash bucket of dynos of many apps.
 */
final class DynoShards<M> extends ShardingMessageExtractor<ShardingEnvelope<M>, M> {
  @Override
  public String entityId(ShardingEnvelope<M> envelope) {
    return envelope.entityId();
  }

  @Override
  public String shardId(String entityId) {
    return entityId;
  }

  @Override
  public M unwrapMessage(ShardingEnvelope<M> envelope) {
    return envelope.message();
  }

  /** {@code shop/web.1} to {@code shop}. */
  static String app(String shardId) {
    int slash = shardId.indexOf('/');
    return slash < 0 ? shardId : shardId.substring(0, slash);
  }
}
