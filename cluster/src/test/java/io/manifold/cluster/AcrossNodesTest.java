package io.manifold.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
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
 * One app on three nodes, its dynos spread over all of them, driven through the API of one node
 * while its dynos live on others: a scale, a restart and a config change take effect wherever the
 * dynos run (checked against the nodes' own processes and their environments, and through the
 * routers of every node), and every dyno's log lines reach the app's one log channel, where a tail
 * opened on any node sees them.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AcrossNodesTest {
  static final String APP = "gamma";
  static final List<Integer> NODES = List.of(1, 2, 3);

  ClusterHarness c;

  /** Config over the harness's: none here; a subclass runs the same behaviour under other settings. */
  Map<String, Object> config() {
    return Map.of();
  }

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    c = new ClusterHarness(dir, 3, config());
    Path code = ClusterHarness.app(dir, "code", "clock: while true; do echo \"tick from $DYNO\"; sleep 0.5; done\n");
    c.manifold.createApp(APP, code, Map.of("GREETING", "Hello"), Map.of("web", 3, "worker", 1, "clock", 3));
    awaitFormation(1, Map.of("web", 3, "worker", 1, "clock", 3));
    // a clock dyno on every node, so that lines come from every node (sharding places them)
    for (int clocks = 4; clocks <= 9 && nodesOf("clock").size() < 3; clocks++) {
      patch(1, "/apps/" + APP + "/formation/clock", "{\"quantity\": " + clocks + "}");
      awaitFormation(1, Map.of("web", 3, "worker", 1, "clock", clocks));
    }
    assertEquals(Set.of("node-1", "node-2", "node-3"), nodesOf("clock"), "clock dynos on every node: " + c.running());
  }

  @AfterAll
  void stop() {
    if (c != null) {
      c.close();
    }
  }

  // --- reading the truth ---

  /** The app's dynos, by name, each with the node whose runtime runs its (single) process. */
  Map<String, String> processNodes() {
    Map<String, String> m = new TreeMap<>();
    c.running().forEach((dyno, on) -> {
      if (dyno.startsWith(APP + "/")) {
        assertEquals(1, on.size(), dyno + " runs once: " + on);
        m.put(dyno.substring(APP.length() + 1), on.get(0));
      }
    });
    return m;
  }

  /** The app's dynos, by name, with the pid of each one's process. */
  Map<String, Long> pids() {
    Map<String, Long> m = new TreeMap<>();
    c.pids().forEach((key, pid) -> {
      if (key.startsWith(APP + "/")) {
        m.put(key.substring(APP.length() + 1, key.indexOf('@')), pid);
      }
    });
    return m;
  }

  Set<String> nodesOf(String type) {
    Set<String> nodes = new TreeSet<>();
    processNodes().forEach((dyno, node) -> {
      if (dyno.startsWith(type + ".")) {
        nodes.add(node);
      }
    });
    return nodes;
  }

  /** A node that runs none of {@code dynos}' processes; the issue comes through its API. */
  int elsewhere(String... dynos) {
    Map<String, String> where = processNodes();
    Set<String> busy = new HashSet<>();
    for (String d : dynos) {
      busy.add(where.get(d));
    }
    return NODES.stream().filter(i -> !busy.contains("node-" + i)).findFirst()
        .orElseThrow(() -> new AssertionError("every node runs one of " + List.of(dynos)));
  }

  /** A process's environment, from the operating system. */
  static Map<String, String> environment(long pid) throws IOException {
    Map<String, String> env = new HashMap<>();
    for (String kv : new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")), StandardCharsets.UTF_8).split("\0")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        env.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return env;
  }

  /**
   * Waits until the formation runs exactly: as many dynos of each type, each up in {@code ps}
   * (asked of node {@code api}) and each where its process runs.
   */
  JsonNode awaitFormation(int api, Map<String, Integer> formation) throws Exception {
    int total = formation.values().stream().mapToInt(Integer::intValue).sum();
    return c.awaitDynos(api, APP, ps -> {
      if (ps.size() != total || ClusterHarness.up(ps) != total) {
        return false;
      }
      Map<String, String> where = processNodes();
      Map<String, Integer> counted = new HashMap<>();
      for (JsonNode d : ps) {
        counted.merge(d.get("type").asText(), 1, Integer::sum);
        if (!d.get("node").asText().equals(where.get(d.get("name").asText()))) {
          return false;
        }
      }
      return counted.equals(formation) && where.size() == total;
    }, Duration.ofSeconds(90));
  }

  JsonNode patch(int node, String path, String body) throws Exception {
    return c.apiOk(node, "PATCH", path, body);
  }

  Map<String, Integer> formation() throws Exception {
    Map<String, Integer> f = new TreeMap<>();
    for (JsonNode t : c.api(1, "GET", "/apps/" + APP + "/formation", null)) {
      if (t.get("quantity").asInt() > 0) {
        f.put(t.get("type").asText(), t.get("quantity").asInt());
      }
    }
    return f;
  }

  // --- the behaviours ---

  @Test
  @Order(1)
  void aScaleThroughOneNodeStopsAndStartsDynosOnOthers() throws Exception {
    Map<String, Integer> f = formation();
    int webs = f.get("web");
    String last = "web." + webs;
    int api = elsewhere(last);
    String lastNode = processNodes().get(last);
    Map<String, Long> before = pids();

    f.put("web", webs - 1);
    patch(api, "/apps/" + APP + "/formation/web", "{\"quantity\": " + (webs - 1) + "}");
    awaitFormation(api, f);
    assertTrue(!processNodes().containsKey(last), last + " stopped, although it ran on another node than node-" + api);
    Map<String, Long> kept = new TreeMap<>(before);
    kept.remove(last);
    assertEquals(kept, pids(), "the other dynos ran on, untouched");

    f.put("web", webs + 1);
    patch(api, "/apps/" + APP + "/formation", "{\"updates\": [{\"type\": \"web\", \"quantity\": " + (webs + 1) + "}]}");
    JsonNode ps = awaitFormation(api, f);
    Map<String, String> where = processNodes();
    for (JsonNode d : ps) {
      assertEquals(where.get(d.get("name").asText()), d.get("node").asText(), "ps shows where " + d.get("name") + " runs");
    }
    for (int node : NODES) {
      assertEquals(200, c.get(node, APP, "/").statusCode(), "through node-" + node);
    }
    System.out.println("[RESULT] scale through node-" + api + ": " + last + " stopped on " + lastNode + "; then "
        + f + " runs as " + where);
  }

  @Test
  @Order(2)
  void aRestartThroughOneNodeRestartsADynoOnAnother() throws Exception {
    Map<String, String> where = processNodes();
    Map<String, Long> before = pids();
    int api = elsewhere("web.1");
    c.apiOk(api, "DELETE", "/apps/" + APP + "/dynos/web.1", null);
    c.awaitDynos(api, APP, ps -> ClusterHarness.up(ps) == ps.size() && !before.get("web.1").equals(pids().get("web.1")),
        Duration.ofSeconds(60));
    Map<String, Long> after = pids();
    assertNotEquals(before.get("web.1"), after.get("web.1"), "web.1 runs a new process");
    assertEquals(where.get("web.1"), processNodes().get("web.1"), "on the node it ran on (a restart does not move a dyno)");
    Map<String, Long> others = new TreeMap<>(after);
    others.remove("web.1");
    Map<String, Long> othersBefore = new TreeMap<>(before);
    othersBefore.remove("web.1");
    assertEquals(othersBefore, others, "no other dyno restarted");
    awaitFormation(api, formation());
    System.out.println("[RESULT] restart through node-" + api + ": web.1 on " + where.get("web.1") + ", pid "
        + before.get("web.1") + " -> " + after.get("web.1"));
  }

  @Test
  @Order(3)
  void aConfigChangeThroughOneNodeRestartsEveryDynoWithItWhereverItRuns() throws Exception {
    Map<String, Long> before = pids();
    Map<String, String> where = processNodes();
    int api = NODES.get(2);
    assertTrue(new HashSet<>(where.values()).size() > 1, "dynos on several nodes: " + where);
    patch(api, "/apps/" + APP + "/config-vars", "{\"GREETING\": \"Ahoy\"}");

    // every dyno, wherever it runs, restarts into the new release with the var in its environment
    ClusterHarness.await("every dyno restarted with GREETING=Ahoy", Duration.ofSeconds(90), () -> {
      Map<String, Long> now = pids();
      if (!now.keySet().equals(before.keySet())) {
        return false;
      }
      for (Map.Entry<String, Long> e : now.entrySet()) {
        try {
          if (e.getValue().equals(before.get(e.getKey())) || !"Ahoy".equals(environment(e.getValue()).get("GREETING"))) {
            return false;
          }
        } catch (IOException gone) {
          return false; // it ended while we looked
        }
      }
      return true;
    });
    awaitFormation(api, formation());
    assertEquals(where, processNodes(), "each dyno restarted where it ran");

    // and the web dynos say so, through the router of every node
    Set<String> webs = new TreeSet<>();
    where.keySet().stream().filter(d -> d.startsWith("web.")).forEach(webs::add);
    for (int node : NODES) {
      Set<String> greeted = new TreeSet<>();
      List<String> bodies = new ArrayList<>();
      ClusterHarness.await("every web dyno greets with Ahoy through node-" + node, Duration.ofSeconds(30), Duration.ofMillis(20), () -> {
        try {
          HttpResponse<String> r = c.get(node, APP, "/");
          bodies.add(r.statusCode() + " " + r.body().strip());
          if (r.statusCode() == 200 && r.body().startsWith("Ahoy from ")) {
            greeted.add(r.body().strip().substring("Ahoy from ".length()));
          }
        } catch (Exception e) {
          bodies.add(e.toString());
        }
        return greeted.equals(webs);
      });
      assertTrue(bodies.stream().allMatch(b -> b.startsWith("200 Ahoy from ")), "only the new release answers: " + bodies);
    }
    System.out.println("[RESULT] config change through node-" + api + ": every dyno restarted with GREETING=Ahoy where it ran, " + where);
  }

  @Test
  @Order(4)
  void logLinesFromDynosOnEveryNodeReachTheAppsChannelAndATailOnAnyNode() throws Exception {
    Map<String, String> where = processNodes();
    List<String> clocks = where.keySet().stream().filter(d -> d.startsWith("clock.")).toList();
    assertEquals(Set.of("node-1", "node-2", "node-3"), nodesOf("clock"));
    List<LogSession> tails = new ArrayList<>();
    try {
      for (int node : NODES) {
        tails.add(LogSession.open(c, node, APP, 0, true));
      }
      // a request through each node's router: its router line goes to the channel too
      Map<Integer, String> requestIds = new TreeMap<>();
      for (int node : NODES) {
        String id = "across-nodes-" + UUID.randomUUID();
        requestIds.put(node, id);
        HttpResponse<String> r = c.http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + c.manifold.node(node).routerPort() + "/"))
            .header("Host", APP + ".localhost").header("X-Request-Id", id).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
      }
      for (int i = 0; i < tails.size(); i++) {
        LogSession tail = tails.get(i);
        String opened = "tail on node-" + NODES.get(i);
        for (String clock : clocks) {
          tail.await(opened + ": " + clock + " on " + where.get(clock) + " ticks",
              l -> l.contains(" app[" + clock + "]: tick from " + clock), Duration.ofSeconds(30));
        }
        for (Map.Entry<Integer, String> id : requestIds.entrySet()) {
          tail.await(opened + ": the router line of node-" + id.getKey(),
              l -> l.contains(" heroku[router]: at=info method=GET path=\"/\"") && l.contains("request_id=" + id.getValue()),
              Duration.ofSeconds(30));
        }
      }
    } finally {
      tails.forEach(LogSession::close);
    }
    System.out.println("[RESULT] logs: tails on node-1, node-2, node-3 saw the ticks of " + clocks.stream()
        .map(d -> d + "@" + where.get(d)).toList() + " and the router lines of all three nodes");
    // the channel keeps them: the last lines, asked through any node, have every clock's ticks
    for (int node : NODES) {
      try (LogSession recent = LogSession.open(c, node, APP, 1500, false)) {
        List<String> lines = recent.awaitEnd(Duration.ofSeconds(30)).lines();
        for (String clock : clocks) {
          assertTrue(lines.stream().anyMatch(l -> l.contains(" app[" + clock + "]: tick from " + clock)),
              clock + " in the history read through node-" + node);
        }
      }
    }
  }
}
