package io.manifold.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.manifold.testing.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes, two apps of six dynos each (2 web, 4 worker): a node dies, and every dyno it ran
 * comes back on the survivors, none twice, while the survivors' routers serve both apps.
 */
@Tag("cluster")
class NodeLossTest {
  @TempDir
  Path dir;

  static final int DYNOS = 6;

  private static boolean whole(JsonNode dynos, int killed) {
    if (dynos.size() != DYNOS || ClusterHarness.up(dynos) != DYNOS) {
      return false;
    }
    Set<String> names = new HashSet<>();
    for (JsonNode d : dynos) {
      if (!names.add(d.get("name").asText()) || d.get("node").asText().equals("node-" + killed)) {
        return false;
      }
    }
    return true;
  }

  private void lose(int killed, int survivor) throws Exception {
    try (ClusterHarness c = new ClusterHarness(dir, 3, Map.of())) {
      Path code = ClusterHarness.app(dir, "code");
      c.manifold.createApp("alpha", code, Map.of(), Map.of("web", 2, "worker", 4));
      c.manifold.createApp("beta", code, Map.of(), Map.of("web", 2, "worker", 4));
      JsonNode alpha = c.awaitDynos(survivor, "alpha", d -> d.size() == DYNOS && ClusterHarness.up(d) == DYNOS, Duration.ofSeconds(90));
      c.awaitDynos(survivor, "beta", d -> d.size() == DYNOS && ClusterHarness.up(d) == DYNOS, Duration.ofSeconds(90));
      Set<String> nodesUsed = new HashSet<>(ClusterHarness.nodeOf(alpha).values());
      assertTrue(nodesUsed.size() >= 2, "an app's dynos spread over the nodes: " + ClusterHarness.nodeOf(alpha));
      assertEquals(200, c.get(survivor, "alpha", "/").statusCode());

      Instant killedAt = c.manifold.kill(killed);
      for (String app : List.of("alpha", "beta")) {
        c.awaitDynos(survivor, app, d -> whole(d, killed), Duration.ofSeconds(90));
      }
      long seconds = Duration.between(killedAt, Instant.now()).toMillis();
      System.out.println("[RESULT] node-" + killed + " killed: both apps whole again on the survivors after " + seconds + " ms");
      for (int node = 1; node <= 3; node++) {
        if (node == killed) {
          continue;
        }
        for (String app : List.of("alpha", "beta")) {
          assertEquals(200, c.get(node, app, "/").statusCode(), app + " through node-" + node);
        }
      }
      // none twice: as many worker processes as worker dynos (4 per app)
      long workers = Processes.descendants().stream().filter(p -> p.contains("sleep 1777")).count();
      assertEquals(8, workers, Processes.descendants().toString());
      assertFalse(c.manifold.node(killed).system().whenTerminated().isCompleted() == false);
    }
  }

  @Test
  void losingTheNodeWithTheShardCoordinatorAndTheRegistry() throws Exception {
    lose(1, 2); // node-1 is the oldest: it hosts the shard coordinators and the registry singleton
  }

  @Test
  void losingANodeThatIsNotTheOldest() throws Exception {
    lose(3, 1);
  }
}
