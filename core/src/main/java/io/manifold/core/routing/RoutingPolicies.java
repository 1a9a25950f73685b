package io.manifold.core.routing;

import io.manifold.core.InputException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
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

  /** For live traffic: the calling thread's generator, so that no two threads share one. */
  public static RandomGenerator threadLocalRandom() {
    return () -> ThreadLocalRandom.current().nextLong();
  }
}
