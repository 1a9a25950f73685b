package io.manifold.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's router figures on a manifold of three nodes: each router counts what went through
 * it, and the API of any node answers with every node's figures summed (and each node's own), so
 * that traffic through node-1's and node-2's routers is counted whole by node-3's API. A node that
 * cannot answer is left out and named. Every message is serialized as if it crossed nodes.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RouterFiguresAcrossNodesTest {
  static final String APP = "tally";
  static final String STATS = "/manifold/apps/" + APP + "/router-stats";

  ClusterHarness c;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    c = new ClusterHarness(dir, 3, Map.of("pekko.actor.serialize-messages", "on", "pekko.actor.serialize-creators", "off"));
    c.manifold.createApp(APP, ClusterHarness.app(dir, "code"), Map.of(), Map.of("web", 1));
    c.awaitDynos(1, APP, d -> ClusterHarness.up(d) == 1, Duration.ofSeconds(90));
    // every router knows the dyno before traffic is counted
    for (int node = 1; node <= 3; node++) {
      int n = node;
      ClusterHarness.await("node-" + n + "'s router serves " + APP, Duration.ofSeconds(30), ClusterHarness.API_POLL,
          () -> status(n) == 200);
    }
  }

  @AfterAll
  void stop() {
    if (c != null) {
      c.close();
    }
  }

  int status(int node) {
    try {
      return c.get(node, APP, "/").statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  static JsonNode node(JsonNode stats, String name) {
    for (JsonNode n : stats.get("nodes")) {
      if (n.get("node").asText().equals(name)) {
        return n;
      }
    }
    throw new AssertionError(name + " not among the nodes: " + stats);
  }

  @Test
  @Order(1)
  void theApiOfOneNodeSumsTheRequestsThroughTheRoutersOfTwoOthers() throws Exception {
    // the Receptionist's list of figures reaches node-3 by gossip, a moment after it joined: till then
    // a node is named as missing, "not known to this node yet", rather than waited for
    ClusterHarness.await("every node's figures known to node-3", Duration.ofSeconds(20), ClusterHarness.API_POLL, () -> {
      try {
        JsonNode stats = c.apiOk(3, "GET", STATS, null);
        stats.get("missing").forEach(m -> assertEquals("not known to this node yet", m.get("reason").asText(), stats.toString()));
        return stats.get("missing").isEmpty();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    JsonNode before = c.apiOk(3, "GET", STATS, null); // the newest sample of each node: the next reading compares with it
    long[] was = {node(before, "node-1").get("requests").asLong(), node(before, "node-2").get("requests").asLong(),
        node(before, "node-3").get("requests").asLong()};
    for (int i = 0; i < 12; i++) {
      assertEquals(200, c.get(1, APP, "/").statusCode());
    }
    for (int i = 0; i < 8; i++) {
      assertEquals(200, c.get(2, APP, "/").statusCode());
    }
    Thread.sleep(1_100); // a rate needs a sample at least a second old; the window then holds every request above

    JsonNode stats = c.apiOk(3, "GET", STATS, null);
    assertEquals(List.of(), missing(stats), stats.toString());
    assertEquals(3, stats.get("nodes").size(), stats.toString());
    assertEquals(was[0] + 12, node(stats, "node-1").get("requests").asLong(), stats.toString());
    assertEquals(was[1] + 8, node(stats, "node-2").get("requests").asLong(), stats.toString());
    assertEquals(was[2], node(stats, "node-3").get("requests").asLong(), "nothing went through node-3's router");
    assertEquals(was[0] + was[1] + was[2] + 20, stats.get("requests").asLong(), "the sum over the nodes: " + stats);
    double sum = 0;
    for (String name : List.of("node-1", "node-2")) {
      JsonNode n = node(stats, name);
      sum += n.get("requests_per_second").asDouble();
      assertTrue(n.get("p99_ms").isNumber(), name + " measured latency: " + n);
    }
    assertEquals(20, Math.round(node(stats, "node-1").get("requests_per_second").asDouble() * node(stats, "node-1").get("window_seconds").asDouble()
        + node(stats, "node-2").get("requests_per_second").asDouble() * node(stats, "node-2").get("window_seconds").asDouble()),
        "every request in one node's window or the other's: " + stats);
    assertEquals(sum, stats.get("requests_per_second").asDouble(), 0.01, "the rates add up: " + stats);
    assertTrue(stats.get("p50_ms").isNumber() && stats.get("p99_ms").asDouble() >= stats.get("p50_ms").asDouble(), stats.toString());
  }

  @Test
  @Order(2)
  void aLostNodeIsNamedAsMissingAndTheAnswerDoesNotWaitForIt() throws Exception {
    CompletableFuture<Void> killing = CompletableFuture.runAsync(() -> c.manifold.kill(2)); // blackholed at once, gone soon after
    List<Long> millis = new ArrayList<>();
    ClusterHarness.await("node-2 missing from node-3's answer", Duration.ofSeconds(20), ClusterHarness.API_POLL, () -> {
      try {
        long t0 = System.nanoTime();
        JsonNode stats = c.apiOk(3, "GET", STATS, null);
        millis.add((System.nanoTime() - t0) / 1_000_000);
        return missing(stats).equals(List.of("node-2"))
            && stats.get("nodes").size() == 2 && stats.get("nodes").findValuesAsText("node").equals(List.of("node-1", "node-3"));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    killing.join();
    // bounded: a node that does not answer costs the answer the timeout (500 ms), not more
    assertTrue(millis.stream().allMatch(ms -> ms < 3_000), "each answer came within the timeout and some: " + millis);

    // once the cluster has removed it, it is no longer a member, so no longer missing
    ClusterHarness.await("node-2 removed", Duration.ofSeconds(30), ClusterHarness.API_POLL, () -> {
      try {
        return missing(c.apiOk(3, "GET", STATS, null)).isEmpty();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  @Order(3)
  void noMessageFailedToSerialize() {
    List<String> failed = c.errors().stream()
        .filter(e -> e.contains("during message send") || e.toLowerCase(Locale.ROOT).contains("serializ"))
        .toList();
    assertEquals(List.of(), failed, "every error: " + c.errors());
  }

  static List<String> missing(JsonNode stats) {
    List<String> l = new ArrayList<>();
    stats.get("missing").forEach(n -> l.add(n.get("node").asText()));
    return l;
  }
}
