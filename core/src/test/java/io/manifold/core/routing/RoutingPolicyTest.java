package io.manifold.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.core.InputException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoutingPolicyTest {

  record Dyno(String name, int inFlight) implements RoutingPolicy.Candidate {}

  private static final List<Dyno> IDLE = List.of(new Dyno("web.1", 0), new Dyno("web.2", 0), new Dyno("web.3", 0));

  private static Map<String, Integer> counts(RoutingPolicy policy, List<Dyno> dynos, int requests) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < requests; i++) {
      counts.merge(policy.choose(dynos).name(), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void roundRobinTakesEachDynoInTurn() {
    RoutingPolicy rr = RoutingPolicies.create("round-robin", new SplittableRandom(1), "test");
    List<String> picked = java.util.stream.IntStream.range(0, 6).mapToObj(i -> rr.choose(IDLE).name()).toList();
    assertEquals(List.of("web.1", "web.2", "web.3", "web.1", "web.2", "web.3"), picked);
  }

  @Test
  void randomReachesEveryDynoInFairShares() {
    Map<String, Integer> c = counts(RoutingPolicies.create("random", new SplittableRandom(7), "test"), IDLE, 30_000);
    assertEquals(3, c.size());
    c.values().forEach(n -> assertTrue(n > 9_000 && n < 11_000, "about a third each: " + c));
  }

  @Test
  void leastConnectionsPicksTheLeastBusyDynoAndSpreadsTies() {
    RoutingPolicy lc = RoutingPolicies.create("least-connections", new SplittableRandom(3), "test");
    List<Dyno> busy = List.of(new Dyno("web.1", 4), new Dyno("web.2", 1), new Dyno("web.3", 2));
    assertEquals(Map.of("web.2", 100), counts(lc, busy, 100));
    Map<String, Integer> ties = counts(lc, IDLE, 3_000);
    assertEquals(3, ties.size(), "ties are broken at random: " + ties);
  }

  @Test
  void powerOfTwoNeverPicksTheBusierOfItsTwoChoices() {
    RoutingPolicy p2 = RoutingPolicies.create("power-of-two", new SplittableRandom(5), "test");
    List<Dyno> busy = List.of(new Dyno("web.1", 9), new Dyno("web.2", 0), new Dyno("web.3", 9));
    Map<String, Integer> c = counts(p2, busy, 3_000);
    // web.2 loses only when both choices are the other two: (2/3)(1/2) = 1/3 of the time
    assertTrue(c.get("web.2") > 1_800, "the idle dyno wins whenever it is one of the two: " + c);
    List<Dyno> two = List.of(new Dyno("web.1", 5), new Dyno("web.2", 0));
    assertEquals(Map.of("web.2", 200), counts(p2, two, 200), "with two dynos both are always compared");
    assertEquals("web.1", p2.choose(List.of(new Dyno("web.1", 3))).name());
  }

  @Test
  void anUnknownPolicyIsAnErrorListingTheKnownOnes() {
    InputException e = assertThrows(InputException.class, () -> RoutingPolicies.create("fastest", new SplittableRandom(), "--policy"));
    assertEquals("--policy", e.place());
    RoutingPolicies.NAMES.forEach(n -> assertTrue(e.getMessage().contains(n), e.getMessage()));
    assertNotEquals(RoutingPolicies.NAMES.size(), 0);
  }
}
