package io.manifold.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster defaults (failure detector, Split Brain Resolver, removal margin) are Manifold's
 * unless the caller says otherwise: flags and settings given to the manifold override them, and
 * they override Pekko's own.
 */
class NodeConfigTest {
  private static final String STABLE_AFTER = "pekko.cluster.split-brain-resolver.stable-after";
  private static final String HEARTBEAT = "pekko.cluster.failure-detector.heartbeat-interval";
  private static final String PAUSE = "pekko.cluster.failure-detector.acceptable-heartbeat-pause";
  private static final String MARGIN = "pekko.cluster.down-removal-margin";

  @Test
  void manifoldsClusterDefaultsStandWherePekkosWould() {
    Config c = NodeConfig.load(ConfigFactory.empty());
    assertEquals(Duration.ofSeconds(1), c.getDuration(STABLE_AFTER));
    assertEquals(Duration.ofMillis(300), c.getDuration(HEARTBEAT));
    assertEquals(Duration.ofMillis(900), c.getDuration(PAUSE));
    assertEquals(Duration.ofSeconds(2), c.getDuration(MARGIN));
    assertEquals("cluster", c.getString("pekko.actor.provider"));
  }

  @Test
  void settingsGivenToTheManifoldOverrideTheClusterDefaultsOnEveryNode(@TempDir Path dir) {
    Config overrides = ConfigFactory.parseMap(Map.of(
        STABLE_AFTER, "7s", HEARTBEAT, "1s", PAUSE, "3s",
        "manifold.nodes", 2, "manifold.db.url", "memory", "manifold.data-dir", dir.toString(),
        "manifold.router.port", 0, "manifold.api.port", 0, "manifold.api.token", "config-token"));
    try (LocalManifold m = LocalManifold.start(overrides)) {
      for (ManifoldNode node : m.nodes()) {
        Config running = node.system().settings().config();
        assertEquals(Duration.ofSeconds(7), running.getDuration(STABLE_AFTER), node.name());
        assertEquals(Duration.ofSeconds(1), running.getDuration(HEARTBEAT), node.name());
        assertEquals(Duration.ofSeconds(3), running.getDuration(PAUSE), node.name());
        assertEquals(Duration.ofSeconds(2), running.getDuration(MARGIN), node.name() + ": not overridden, Manifold's");
      }
    }
  }
}
