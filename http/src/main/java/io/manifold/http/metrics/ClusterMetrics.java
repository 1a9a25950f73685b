package io.manifold.http.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Cluster members by status ({@code up}, {@code joining}, {@code leaving}, {@code unreachable},
 * ...), as this node sees them, read from the cluster's state at each scrape (a snapshot the
 * cluster keeps current, so a scrape costs no message).
 */
public final class ClusterMetrics {
  private ClusterMetrics() {}

  /** @param byStatus the members now, counted by status (lower case) */
  public static void register(NodeMetrics metrics, Supplier<Map<String, Integer>> byStatus) {
    GaugeWithCallback.builder()
        .name("manifold_cluster_members")
        .help("Cluster members by status, as this node sees them")
        .labelNames("status")
        .callback(cb -> byStatus.get().forEach((status, n) -> cb.call(n, status)))
        .register(metrics.registry());
  }
}
