package io.manifold.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorSelection;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.pattern.Patterns;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real nodes in this JVM with link proxies, node 1 on one side and nodes 2 and 3 on the
 * other. A small latency slows every message across (a round trip gains twice the latency) and
 * the cluster stays whole; a latency well past the failure detector's acceptable pause makes the
 * far side unreachable, and the Split Brain Resolver keeps the majority, as a partition would.
 * The proxies learn where each connection comes from by reading Artery's framing, which these
 * tests check against Pekko itself.
 */
@Tag("cluster")
class LinkLatencyTest {
  private static final List<Integer> ONE = List.of(1);
  private static final List<Integer> OTHERS = List.of(2, 3);

  @TempDir
  Path dir;

  private ClusterHarness start() {
    ClusterHarness c = new ClusterHarness(dir, 3, Map.of("manifold.cluster.link-proxies", "on"));
    // every node has connected to every other by now (gossip, heartbeats): each connection's
    // first frame must have told its proxy which node it came from
    ClusterHarness.await("every proxy knows the nodes its connections come from", Duration.ofSeconds(30), Duration.ofMillis(50),
        () -> IntStream.rangeClosed(1, 3).allMatch(i -> c.manifold.node(i).linkProxy().peers().equals(othersThan(i))));
    for (int i = 1; i <= 3; i++) {
      // a node's user guardian is its own: the echo goes under /system
      ((ExtendedActorSystem) Adapter.toClassic(c.manifold.node(i).system())).systemActorOf(Props.create(Echo.class, Echo::new), "echo");
    }
    return c;
  }

  private static Set<Integer> othersThan(int i) {
    Set<Integer> s = new TreeSet<>(Set.of(1, 2, 3));
    s.remove(i);
    return s;
  }

  /** Answers whatever it is sent: a String, which Artery serializes without configuration. */
  static final class Echo extends AbstractActor {
    @Override
    public Receive createReceive() {
      return receiveBuilder().matchAny(m -> getSender().tell(m, getSelf())).build();
    }
  }

  /** The shortest of three round trips from node {@code from} to node {@code to}'s echo, in ms. */
  private static long roundTripMillis(ClusterHarness c, int from, int to) throws Exception {
    ActorSelection echo = Adapter.toClassic(c.manifold.node(from).system())
        .actorSelection(c.manifold.node(to).address() + "/system/echo");
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      Object answer = Patterns.ask(echo, "ping-" + i, Duration.ofSeconds(20)).toCompletableFuture().get(30, TimeUnit.SECONDS);
      best = Math.min(best, System.nanoTime() - t0);
      assertEquals("ping-" + i, answer);
    }
    return best / 1_000_000;
  }

  @Test
  void aSmallLatencySlowsEveryMessageAcrossWhileTheClusterStaysWhole() throws Exception {
    try (ClusterHarness c = start()) {
      long before = roundTripMillis(c, 2, 1);
      Duration latency = Duration.ofMillis(300);
      Instant applied = c.manifold.linkLatency(ONE, OTHERS, latency, Duration.ZERO);
      long across = roundTripMillis(c, 2, 1);
      long acrossBack = roundTripMillis(c, 1, 3);
      long sameSide = roundTripMillis(c, 2, 3);
      assertTrue(across >= 2 * latency.toMillis(), "node 2 to node 1 and back took " + across + " ms");
      assertTrue(acrossBack >= 2 * latency.toMillis(), "node 1 to node 3 and back took " + acrossBack + " ms");
      // five seconds of it, watched: heartbeats come 600 ms late, within the 900 ms pause allowed
      long watchUntil = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (System.nanoTime() < watchUntil) {
        for (int i = 1; i <= 3; i++) {
          assertEquals(Set.of(), c.unreachable(i), "node-" + i + " sees every node reachable");
          assertEquals(Set.of("node-1", "node-2", "node-3"), c.members(i), "node-" + i + "'s members");
        }
        Thread.sleep(50);
      }
      c.manifold.linkLatency(ONE, OTHERS, Duration.ZERO, Duration.ZERO);
      long healed = roundTripMillis(c, 2, 1);
      System.out.printf("""
          [RESULT] link latency %d ms between %s and %s (applied %s):
          [RESULT]   round trip node-2 -> node-1: %d ms before, %d ms with it, %d ms healed
          [RESULT]   round trip node-1 -> node-3: %d ms with it; node-2 -> node-3 (same side): %d ms
          """, latency.toMillis(), ONE, OTHERS, applied, before, across, healed, acrossBack, sameSide);
    }
  }

  @Test
  void aLatencyPastTheAcceptablePauseCutsTheMinorityOffAndTheMajorityGoesOn() throws Exception {
    try (ClusterHarness c = start()) {
      Instant applied = c.manifold.linkLatency(ONE, OTHERS, Duration.ofSeconds(3), Duration.ZERO);
      Instant unreachable = ClusterHarness.await("nodes 2 and 3 see node-1 unreachable", Duration.ofSeconds(30),
          () -> OTHERS.stream().allMatch(i -> c.unreachable(i).contains("node-1")));
      Instant[] sides = new Instant[2];
      ClusterHarness.await("node-1 downs itself, and nodes 2 and 3 remove it", Duration.ofSeconds(60), () -> {
        if (sides[0] == null && c.manifold.node(1).terminated()) {
          sides[0] = Instant.now();
        }
        if (sides[1] == null && OTHERS.stream().allMatch(i -> c.members(i).equals(Set.of("node-2", "node-3")))) {
          sides[1] = Instant.now();
        }
        return sides[0] != null && sides[1] != null;
      });
      for (int i : OTHERS) {
        assertEquals(Set.of(), c.unreachable(i), "node-" + i + " sees no one unreachable");
      }
      long sameSide = roundTripMillis(c, 2, 3);
      System.out.printf("""
          [RESULT] link latency 3 s between %s and %s:
          [RESULT]   nodes 2 and 3 see node-1 unreachable  +%5d ms
          [RESULT]   node-1 has downed itself, stopped    +%5d ms
          [RESULT]   nodes 2 and 3 have removed it        +%5d ms
          [RESULT]   round trip node-2 -> node-3 after:    %5d ms
          """, ONE, OTHERS, Duration.between(applied, unreachable).toMillis(), Duration.between(applied, sides[0]).toMillis(),
          Duration.between(applied, sides[1]).toMillis(), sameSide);
    }
  }

  @Test
  void aPartitionStillCutsAndANodeInPlaceOfALostOneIsBehindTheSameLinks() throws Exception {
    try (ClusterHarness c = start()) {
      // Artery's test mode drops by the peer's address, which is the proxy's: partitions work as before
      c.manifold.partition(ONE, OTHERS);
      ClusterHarness.await("node-1 cut off downs itself, and nodes 2 and 3 remove it", Duration.ofSeconds(60),
          () -> c.manifold.node(1).terminated() && OTHERS.stream().allMatch(i -> c.members(i).equals(Set.of("node-2", "node-3"))));
      c.manifold.heal(ONE, OTHERS);
      Duration latency = Duration.ofMillis(300);
      c.manifold.linkLatency(ONE, OTHERS, latency, Duration.ZERO);

      ManifoldNode fresh = c.manifold.replace(1);
      assertTrue(fresh.linkProxy() != null, "the new node-1 has a proxy of its own");
      ClusterHarness.await("the new node-1 is known to every proxy, and knows theirs", Duration.ofSeconds(30), Duration.ofMillis(50),
          () -> IntStream.rangeClosed(1, 3).allMatch(i -> c.manifold.node(i).linkProxy().peers().equals(othersThan(i))));
      ((ExtendedActorSystem) Adapter.toClassic(fresh.system())).systemActorOf(Props.create(Echo.class, Echo::new), "echo");
      long across = roundTripMillis(c, 2, 1);
      assertTrue(across >= 2 * latency.toMillis(), "node 2 to the new node-1 and back took " + across + " ms");
      System.out.printf("[RESULT] a new node-1 behind the same 300 ms links: round trip from node-2 %d ms%n", across);
    }
  }

  @Test
  void aManifoldWithoutProxiesRefusesLinkLatency() throws Exception {
    try (ClusterHarness c = new ClusterHarness(dir, 1, Map.of())) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> c.manifold.linkLatency(ONE, OTHERS, Duration.ofMillis(100), Duration.ZERO));
      assertTrue(e.getMessage().contains("manifold.cluster.link-proxies = on"), e.getMessage());
    }
  }
}
