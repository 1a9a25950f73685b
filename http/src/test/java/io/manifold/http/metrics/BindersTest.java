package io.manifold.http.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.core.dyno.DynoName;
import io.manifold.core.dyno.DynoState;
import io.manifold.core.dyno.DynoStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The binders turn dyno status changes, log counts and cluster membership into figures. */
class BindersTest {
  private final NodeMetrics node = new NodeMetrics();

  private static DynoStatus status(String dyno, DynoState state) {
    return new DynoStatus("shop", DynoName.parseOrNull(dyno), state, Instant.now(), null, 1, "web");
  }

  @Test
  void dynoStatesCrashesAndRestartsFollowTheStatusChanges() {
    DynoMetrics dynos = new DynoMetrics(node, "node-1");
    dynos.accept(status("web.1", DynoState.STARTING));
    dynos.accept(status("web.1", DynoState.UP));
    dynos.accept(status("web.2", DynoState.STARTING));
    dynos.accept(status("web.2", DynoState.CRASHED));
    dynos.accept(status("web.2", DynoState.STARTING)); // Heroku's restart after a crash
    dynos.accept(status("web.2", DynoState.UP));
    dynos.accept(status("web.3", DynoState.STARTING));
    dynos.accept(status("web.3", DynoState.DOWN));
    MetricsSnapshot s = node.snapshot();
    assertEquals(2, s.gauge("manifold_dynos", Map.of("app", "shop", "node", "node-1", "state", "up")));
    assertEquals(0, s.gauge("manifold_dynos", Map.of("app", "shop", "state", "starting")));
    assertEquals(1, s.counter("manifold_dyno_crashes", Map.of("app", "shop")));
    assertEquals(1, s.counter("manifold_dyno_restarts", Map.of("app", "shop", "node", "node-1")));
  }

  @Test
  void logLinesAndDropsAreCountedPerChannel() {
    LogMetrics logs = new LogMetrics(node);
    LogMetrics.Channel shop = logs.channel("shop");
    shop.published(3);
    shop.published(2);
    shop.tailDropped(7);
    MetricsSnapshot s = node.snapshot();
    assertEquals(5, s.counter("manifold_log_lines", Map.of("app", "shop")));
    assertEquals(7, s.counter("manifold_log_dropped_lines", Map.of("app", "shop", "reader", "tail")));
    assertEquals(0, s.counter("manifold_log_dropped_lines", Map.of("app", "shop", "reader", "drain")));
  }

  @Test
  void clusterMembersAreCountedByStatus() {
    ClusterMetrics.register(node, () -> Map.of("up", 2, "unreachable", 1));
    MetricsSnapshot s = node.snapshot();
    assertEquals(2, s.gauge("manifold_cluster_members", Map.of("status", "up")));
    String text = new String(node.scrape(), StandardCharsets.UTF_8);
    assertTrue(text.contains("manifold_cluster_members{status=\"unreachable\"} 1"), text);
  }

  @Test
  void aQuantileIsEstimatedWithinItsBucketAsPrometheusDoes() {
    var buckets = io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets.of(
        new double[] {0.001, 0.002, Double.POSITIVE_INFINITY}, new long[] {50, 50, 0});
    assertEquals(0.001, MetricsSnapshot.quantile(buckets, 0.5), 1e-9);
    assertEquals(0.00198, MetricsSnapshot.quantile(buckets, 0.99), 1e-9);
  }
}
