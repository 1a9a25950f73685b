package io.manifold.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's cluster settings are Manifold's defaults (manifold-cluster.conf) unless the config a
 * manifold is started with says otherwise: the failure detector, the Split Brain Resolver and the
 * margins are tunables, as the README promises, not constants.
 */
class ClusterConfigTest {
  @TempDir
  Path dir;

  @Test
  void theClusterTunablesTakeTheOverridesAManifoldIsStartedWith() {
    Config overrides = ConfigFactory.parseMap(Map.of(
        "manifold.data-dir", dir.toString(), "manifold.db.url", "memory",
        "manifold.router.port", 0, "manifold.api.port", 0,
        "pekko.cluster.split-brain-resolver.stable-after", "7s",
        "pekko.cluster.failure-detector.acceptable-heartbeat-pause", "2500ms",
        "pekko.cluster.down-removal-margin", "3s"));
    try (LocalManifold m = LocalManifold.start(overrides)) {
      Config running = m.node(1).system().settings().config();
      assertEquals(Duration.ofSeconds(7), running.getDuration("pekko.cluster.split-brain-resolver.stable-after"));
      assertEquals(Duration.ofMillis(2500), running.getDuration("pekko.cluster.failure-detector.acceptable-heartbeat-pause"));
      assertEquals(Duration.ofSeconds(3), running.getDuration("pekko.cluster.down-removal-margin"));
      // what is not overridden is still Manifold's, not Pekko's reference
      assertEquals(Duration.ofMillis(300), running.getDuration("pekko.cluster.failure-detector.heartbeat-interval"));
      assertEquals("cluster", running.getString("pekko.actor.provider"));
      assertEquals("keep-majority", running.getString("pekko.cluster.split-brain-resolver.active-strategy"));
      assertEquals(100, running.getInt("pekko.cluster.sharding.number-of-shards"));
    }
  }

  @Test
  @Tag("cluster") // two nodes: about 13 s
  void aPartitionThatCannotTakeEffectIsRefusedRatherThanReportedAsDone() {
    // without Artery's test mode a blackhole is accepted and does nothing at all
    Config overrides = ConfigFactory.parseMap(Map.of(
        "manifold.data-dir", dir.toString(), "manifold.db.url", "memory", "manifold.nodes", 2,
        "manifold.router.port", 0, "manifold.api.port", 0,
        "pekko.remote.artery.advanced.test-mode", "off"));
    try (LocalManifold m = LocalManifold.start(overrides)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.partition(List.of(1), List.of(2)));
      assertTrue(e.getMessage().contains("test-mode"), e.getMessage());
    }
  }
}
