package io.manifold.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app's dynos spread over the nodes (DynoPlacement): evenly at first, evenly over the survivors
 * after a node is lost, and a node that joins gets new dynos without any running one being moved.
 */
@Tag("cluster")
class DynoPlacementTest {
  private static final Duration WITHIN = Duration.ofSeconds(60);

  /** How many live worker processes of {@code app} each node runs, by the nodes' own runtimes. */
  private static Map<String, Integer> perNode(ClusterHarness c, String app) {
    Map<String, Integer> m = new TreeMap<>();
    c.running().forEach((dyno, nodes) -> {
      if (dyno.startsWith(app + "/")) {
        nodes.forEach(n -> m.merge(n, 1, Integer::sum));
      }
    });
    return m;
  }

  private static void await(ClusterHarness c, String app, Map<String, Integer> expected) {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    Map<String, Integer> seen = perNode(c, app);
    while (!seen.equals(expected)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(app + " should run as " + expected + " but runs as " + seen + "; everything: " + c.running());
      }
      io.manifold.testing.Processes.sleep(100);
      seen = perNode(c, app);
    }
  }

  @Test
  void anAppsDynosSpreadOverTheNodesAndOverTheSurvivorsAndNoneMovesWhenANodeJoins(@TempDir Path dir) throws Exception {
    try (ClusterHarness c = new ClusterHarness(dir, 3, Map.of())) {
      Path code = ClusterHarness.app(dir, "code");
      c.manifold.createApp("spread", code, Map.of(), Map.of("web", 0, "worker", 6));
      c.manifold.createApp("other", code, Map.of(), Map.of("web", 0, "worker", 3));
      await(c, "spread", Map.of("node-1", 2, "node-2", 2, "node-3", 2));
      await(c, "other", Map.of("node-1", 1, "node-2", 1, "node-3", 1));

      c.manifold.kill(3);
      await(c, "spread", Map.of("node-1", 3, "node-2", 3));
      ClusterHarness.await("other whole again", WITHIN, () -> perNode(c, "other").values().stream().mapToInt(Integer::intValue).sum() == 3);

      Map<String, Long> before = c.pids();
      c.manifold.replace(3);
      c.apiOk(1, "PATCH", "/apps/spread/formation/worker", "{\"quantity\": 9}");
      await(c, "spread", Map.of("node-1", 3, "node-2", 3, "node-3", 3));
      Map<String, Long> after = c.pids();
      List<String> moved = before.keySet().stream().filter(k -> !before.get(k).equals(after.get(k))).toList();
      assertEquals(List.of(), moved, "no running dyno was stopped to balance the nodes");
    }
  }
}
