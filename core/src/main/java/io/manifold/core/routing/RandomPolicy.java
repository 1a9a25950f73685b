package io.manifold.core.routing;

import java.util.List;
import java.util.random.RandomGenerator;

/** Heroku's policy: each router picks one of the app's web dynos uniformly at random. */
public final class RandomPolicy implements RoutingPolicy {
  private final RandomGenerator random;

  /** @param random thread-safe; see {@link RoutingPolicies#threadLocalRandom()} */
  public RandomPolicy(RandomGenerator random) {
    this.random = random;
  }

  @Override
  public <C extends Candidate> C choose(List<C> candidates) {
    return candidates.get(random.nextInt(candidates.size()));
  }

  @Override
  public String name() {
    return "random";
  }
}
