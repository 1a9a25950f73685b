package io.manifold.http.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import java.util.Map;

/**
 * Cluster members by status ({@code up}, {@code joining}, {@code leaving}, {@code unreachable},
 * ...), as this node sees them. The cluster's listener hands in the whole count at each change.
 */
public final class ClusterMetrics {
  private volatile Map<String, Integer> byStatus = Map.of();

  public ClusterMetrics(NodeMetrics metrics) {
    GaugeWithCallback.builder()
        .name("manifold_cluster_members")
        .help("Cluster members by status, as this node sees them")
        .labelNames("status")
        .callback(cb -> byStatus.forEach((status, n) -> cb.call(n, status)))
        .register(metrics.registry());
  }

  /** The members now, counted by status (lower case); replaces the previous count. */
  public void members(Map<String, Integer> countsByStatus) {
    byStatus = Map.copyOf(countsByStatus);
  }
}
