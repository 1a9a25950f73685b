package io.manifold.core.routing;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The dyno with the fewest requests in flight from this router; ties are broken at random, so that
 * an idle app's traffic still spreads over all its dynos.
 */
public final class LeastConnectionsPolicy implements RoutingPolicy {
  private final RandomGenerator random;

  public LeastConnectionsPolicy(RandomGenerator random) {
    this.random = random;
  }

  @Override
  public <C extends Candidate> C choose(List<C> candidates) {
    C best = null;
    int bestLoad = Integer.MAX_VALUE;
    int ties = 0;
    for (C c : candidates) {
      int load = c.inFlight();
      if (load < bestLoad) {
        best = c;
        bestLoad = load;
        ties = 1;
      } else if (load == bestLoad && random.nextInt(++ties) == 0) {
        best = c; // reservoir sampling: each of the tied dynos is equally likely
      }
    }
    return best;
  }

  @Override
  public String name() {
    return "least-connections";
  }
}
