package io.manifold.core.routing;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Power of two choices: two distinct dynos at random, the one with fewer requests in flight wins.
 * Nearly as good as least-connections, and it needs no global view.
 */
public final class PowerOfTwoPolicy implements RoutingPolicy {
  private final RandomGenerator random;

  public PowerOfTwoPolicy(RandomGenerator random) {
    this.random = random;
  }

  @Override
  public <C extends Candidate> C choose(List<C> candidates) {
    int n = candidates.size();
    if (n == 1) {
      return candidates.get(0);
    }
    int a = random.nextInt(n);
    int b = random.nextInt(n - 1);
    if (b >= a) {
      b++; // distinct from a, still uniform
    }
    C first = candidates.get(a);
    C second = candidates.get(b);
    return second.inFlight() < first.inFlight() ? second : first;
  }

  @Override
  public String name() {
    return "power-of-two";
  }
}
