package io.manifold.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Three nodes, two apps of six dynos each (2 web, 4 worker), and one node cut off from the other
 * two (Artery's test mode drops everything between them; HTTP between routers and dyno processes
 * still flows, as it is not cluster traffic). The Split Brain Resolver keeps the majority: the
 * minority downs itself and stops, its dynos die with it and start again on the majority, and at
 * no moment does a dyno run twice. A partition healed before the resolver decides changes nothing.
 */
@Tag("cluster")
class PartitionTest {
  static final List<String> APPS = List.of("alpha", "beta");
  static final int DYNOS = 6;

  @TempDir
  Path dir;

  private ClusterHarness start(Map<String, Object> extra) throws Exception {
    ClusterHarness c = new ClusterHarness(dir, 3, extra);
    Path code = ClusterHarness.app(dir, "code");
    for (String app : APPS) {
      c.manifold.createApp(app, code, Map.of(), Map.of("web", 2, "worker", 4));
    }
    ClusterHarness.await("both apps whole, every dyno once", Duration.ofSeconds(90), ClusterHarness.API_POLL, () -> whole(c, Set.of("node-1", "node-2", "node-3")));
    // every router knows both apps before anything is cut: a router learns an app from the app's
    // periodic check once the Receptionist has told the app's node about it, a second or two after
    // the nodes joined (see the README), and a cut before that would leave it answering 404
    ClusterHarness.await("every node's router serves both apps", Duration.ofSeconds(30), ClusterHarness.API_POLL, () -> servesEverywhere(c, List.of(1, 2, 3)));
    return c;
  }

  private static boolean servesEverywhere(ClusterHarness c, List<Integer> nodes) {
    for (int node : nodes) {
      for (String app : APPS) {
        try {
          if (c.get(node, app, "/").statusCode() != 200) {
            return false;
          }
        } catch (Exception notYet) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Every dyno of both apps runs exactly once, on one of {@code nodes}, by the nodes' runtimes;
   * and {@code ps} (through the API of a node among them) agrees: six up dynos per app, each
   * name once, each where its process is.
   */
  private static boolean whole(ClusterHarness c, Set<String> nodes) {
    Map<String, List<String>> running = c.running();
    if (running.size() != APPS.size() * DYNOS || running.values().stream().anyMatch(on -> on.size() != 1 || !nodes.contains(on.get(0)))) {
      return false;
    }
    int api = Integer.parseInt(nodes.iterator().next().substring("node-".length()));
    for (String app : APPS) {
      JsonNode ps;
      try {
        ps = c.api(api, "GET", "/apps/" + app + "/dynos", null);
      } catch (Exception notYet) {
        return false; // the registry may be moving to another node
      }
      if (!ps.isArray() || ps.size() != DYNOS || ClusterHarness.up(ps) != DYNOS) {
        return false;
      }
      Set<String> names = new HashSet<>();
      for (JsonNode d : ps) {
        String name = d.get("name").asText();
        List<String> where = running.get(app + "/" + name);
        if (!names.add(name) || where == null || !where.get(0).equals(d.get("node").asText())) {
          return false;
        }
      }
    }
    return true;
  }

  private static List<Load.Target> targets(List<Integer> nodes) {
    List<Load.Target> t = new ArrayList<>();
    for (int n : nodes) {
      for (String app : APPS) {
        t.add(new Load.Target(n, app));
      }
    }
    return t;
  }

  private static long ms(Instant from, Instant to) {
    return Duration.between(from, to).toMillis();
  }

  /** How many of the dynos run on node {@code i}. */
  private static long dynosOn(Map<String, List<String>> running, int i) {
    return running.values().stream().filter(on -> on.contains("node-" + i)).count();
  }

  @ParameterizedTest(name = "{0} partitioned away")
  @ValueSource(strings = {"another node", "the oldest node"})
  void theMinorityDownsItselfWhileTheMajorityServesAndRunsEveryDynoOnce(String which) throws Exception {
    try (ClusterHarness c = start(Map.of())) {
      // the oldest is node-1, where the shard coordinators and the app registry live; of the
      // others, the one that runs the most dynos (sharding places them, and may leave one bare)
      Map<String, List<String>> before = c.running();
      int minority = which.equals("the oldest node") ? 1
          : IntStream.of(3, 2).boxed().max((a, b) -> Long.compare(dynosOn(before, a), dynosOn(before, b))).orElseThrow();
      List<Integer> majority = IntStream.rangeClosed(1, 3).filter(i -> i != minority).boxed().toList();
      String gone = "node-" + minority;
      Set<String> survivors = majority.stream().map(i -> "node-" + i).collect(Collectors.toSet());
      List<String> cutOff = before.entrySet().stream().filter(e -> e.getValue().contains(gone)).map(Map.Entry::getKey).toList();
      assertFalse(cutOff.isEmpty(), "the minority runs dynos, or the test shows nothing: " + before);

      List<Load.Request> probes;
      Instant cut;
      Instant unreachable;
      Instant downed;
      Instant removed;
      Instant recovered;
      List<String> twice;
      List<ProcessWatch.Event> events;
      try (ProcessWatch watch = new ProcessWatch(c); Load load = new Load(c, targets(majority), 20, 20 * 180)) {
        cut = c.manifold.partition(List.of(minority), majority);
        unreachable = ClusterHarness.await("the majority sees " + gone + " unreachable", Duration.ofSeconds(30),
            () -> majority.stream().allMatch(i -> c.unreachable(i).contains(gone)));
        // the two sides decide each on its own: watched together, each timed when first seen
        Instant[] sides = new Instant[2];
        ClusterHarness.await(gone + " downs itself and stops, and the majority removes it", Duration.ofSeconds(60), () -> {
          if (sides[0] == null && c.manifold.node(minority).terminated()) {
            sides[0] = Instant.now();
          }
          if (sides[1] == null && majority.stream().allMatch(i -> !c.members(i).contains(gone))) {
            sides[1] = Instant.now();
          }
          return sides[0] != null && sides[1] != null;
        });
        downed = sides[0];
        removed = sides[1];
        recovered = ClusterHarness.await("both apps whole on the majority, every dyno once", Duration.ofSeconds(90), ClusterHarness.API_POLL, () -> whole(c, survivors));
        probes = load.awaitAll();
        twice = watch.twice();
        events = watch.events();
      }

      assertEquals(List.of(), twice, "a dyno ran twice at once");
      // the margin that keeps a dyno from running twice: the minority's last process ends before
      // the majority starts the first of them again
      Instant lastEnded = events.stream().filter(e -> !e.started() && e.node().equals(gone)).map(ProcessWatch.Event::at)
          .max(Instant::compareTo).orElseThrow(() -> new AssertionError("the minority's dynos never ended: " + events));
      Instant firstRestarted = events.stream().filter(e -> e.started() && cutOff.contains(e.dyno())).map(ProcessWatch.Event::at)
          .min(Instant::compareTo).orElseThrow(() -> new AssertionError("the minority's dynos never started again: " + events));
      assertTrue(lastEnded.isBefore(firstRestarted), "the minority's last dyno ended at +" + ms(cut, lastEnded)
          + " ms, the first started again at +" + ms(cut, firstRestarted) + " ms");
      assertTrue(c.running().values().stream().noneMatch(on -> on.contains(gone)), "no process left of the minority: " + c.running());
      for (int node : majority) {
        assertEquals(survivors, c.members(node), "node-" + node + "'s members");
        assertEquals(Set.of(), c.unreachable(node), "node-" + node + "'s unreachable members");
        for (String app : APPS) {
          assertEquals(200, c.get(node, app, "/").statusCode(), app + " through node-" + node);
        }
      }
      List<Load.Request> unanswered = probes.stream().filter(r -> r.status() == 0).toList();
      assertEquals(List.of(), unanswered, "every request through the majority's routers got an answer");
      for (String app : APPS) {
        assertTrue(probes.stream().anyMatch(r -> r.target().app().equals(app) && r.status() == 200 && r.sent().isAfter(cut) && r.sent().isBefore(recovered)),
            app + " was served during the partition");
      }

      System.out.printf("""
          [RESULT] partition: %s cut off from %s (it ran %d of the %d dynos)
          [RESULT]   majority sees it unreachable  +%6d ms
          [RESULT]   its last dyno process ended   +%6d ms
          [RESULT]   it has downed itself, stopped +%6d ms
          [RESULT]   majority has removed it       +%6d ms
          [RESULT]   first of them started again   +%6d ms
          [RESULT]   every dyno once on majority   +%6d ms
          [RESULT]   %d requests through the majority's routers meanwhile: %s
          """, gone, survivors, cutOff.size(), APPS.size() * DYNOS, ms(cut, unreachable), ms(cut, lastEnded), ms(cut, downed),
          ms(cut, removed), ms(cut, firstRestarted), ms(cut, recovered), probes.size(), Load.byOutcome(probes));
    }
  }

  @Test
  void aPartitionHealedBeforeTheResolverDecidesLeavesEverythingAsItWas() throws Exception {
    // With Manifold's stable-after of 1 s the resolver decides about 1 s after the nodes see each
    // other unreachable, and a healed link takes about as long again to be seen (heartbeats must
    // come back and the reachability gossip converge): the heal would race the decision. 20 s
    // (Pekko's own default) makes "healed before the decision" certain; the failure detector stays
    // Manifold's, so the partition is noticed as quickly as ever.
    try (ClusterHarness c = start(Map.of("pekko.cluster.split-brain-resolver.stable-after", "20s"))) {
      Map<String, Long> pids = c.pids();
      Map<String, String> placement = new TreeMap<>();
      for (String app : APPS) {
        ClusterHarness.nodeOf(c.api(1, "GET", "/apps/" + app + "/dynos", null)).forEach((d, n) -> placement.put(app + "/" + d, n));
      }
      Instant cut;
      Instant seen;
      Instant healed;
      Instant reachable;
      List<ProcessWatch.Event> events;
      List<String> twice;
      try (ProcessWatch watch = new ProcessWatch(c)) {
        cut = c.manifold.partition(List.of(3), List.of(1, 2));
        seen = ClusterHarness.await("both sides see the partition", Duration.ofSeconds(30),
            () -> c.unreachable(1).contains("node-3") && c.unreachable(2).contains("node-3")
                && c.unreachable(3).containsAll(List.of("node-1", "node-2")));
        healed = c.manifold.heal(List.of(3), List.of(1, 2));
        reachable = ClusterHarness.await("every node reaches every other again", Duration.ofSeconds(30),
            () -> IntStream.rangeClosed(1, 3).allMatch(i -> c.unreachable(i).isEmpty()));
        // the apps hear again from dynos they had not heard from during the partition
        ClusterHarness.await("both apps whole, every dyno once", Duration.ofSeconds(30), ClusterHarness.API_POLL, () -> whole(c, Set.of("node-1", "node-2", "node-3")));
        // the routers that were cut off hear the apps' checks again
        ClusterHarness.await("every node's router serves both apps", Duration.ofSeconds(30), ClusterHarness.API_POLL, () -> servesEverywhere(c, List.of(1, 2, 3)));
        events = watch.events();
        twice = watch.twice();
      }

      assertEquals(List.of(), events, "no dyno process started or ended");
      assertEquals(List.of(), twice);
      assertEquals(pids, c.pids(), "the same processes, on the same nodes");
      for (int node = 1; node <= 3; node++) {
        assertFalse(c.manifold.node(node).terminated(), "node-" + node + " runs");
        for (Member m : Cluster.get(c.manifold.node(node).system()).state().getMembers()) {
          assertEquals(MemberStatus.up(), m.status(), "node-" + node + " sees " + c.name(m.address()));
        }
        assertEquals(Set.of("node-1", "node-2", "node-3"), c.members(node));
        for (String app : APPS) {
          assertEquals(200, c.get(node, app, "/").statusCode(), app + " through node-" + node);
        }
      }
      Map<String, String> after = new TreeMap<>();
      for (String app : APPS) {
        ClusterHarness.nodeOf(c.api(2, "GET", "/apps/" + app + "/dynos", null)).forEach((d, n) -> after.put(app + "/" + d, n));
      }
      assertEquals(placement, after, "ps shows every dyno where it was");

      System.out.printf("""
          [RESULT] partition healed before the decision (stable-after 20 s)
          [RESULT]   both sides see it unreachable +%6d ms
          [RESULT]   healed                        +%6d ms
          [RESULT]   all reachable again           +%6d ms (%d ms after the heal)
          """, ms(cut, seen), ms(cut, healed), ms(cut, reachable), ms(healed, reachable));
    }
  }
}
