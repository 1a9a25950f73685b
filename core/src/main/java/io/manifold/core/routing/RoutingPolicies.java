package io.manifold.core.routing;

import io.manifold.core.InputException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/** The policies by name, as config and the command line give them. */
public final class RoutingPolicies {
  public static final List<String> NAMES = List.of("random", "round-robin", "least-connections", "power-of-two");

  private RoutingPolicies() {}

  /**
   * A new policy instance (round-robin keeps a counter, so each app gets its own).
   *
   * @param place where the name came from, for the error ({@code --policy}, a file and field)
   * @throws InputException for an unknown name, listing the known ones
   */
  public static RoutingPolicy create(String name, RandomGenerator random, String place) {
    return switch (name) {
      case "random" -> new RandomPolicy(random);
      case "round-robin" -> new RoundRobinPolicy();
      case "least-connections" -> new LeastConnectionsPolicy(random);
      case "power-of-two" -> new PowerOfTwoPolicy(random);
      default -> throw new InputException(place, "expected one of " + String.join(", ", NAMES) + " but found '" + name + "'");
    };
  }

  /**
   * A seeded generator for one app's policy on one router, for runs that must be repeatable (the
   * scenario runner's seed): the same seed, node and app give the same sequence of draws. Safe
   * to share between threads (a SplitMix64 whose state advances atomically); which thread gets
   * which draw still depends on scheduling.
   */
  public static RandomGenerator seeded(long seed, String node, String app) {
    AtomicLong state = new AtomicLong(mix(seed ^ mix(node.hashCode()) ^ mix(31L * app.hashCode() + 7)));
    return () -> mix(state.addAndGet(0x9E3779B97F4A7C15L));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** For live traffic: the calling thread's generator, so that no two threads share one. */
  public static RandomGenerator threadLocalRandom() {
    return () -> ThreadLocalRandom.current().nextLong();
  }
}
