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

  /**
   * Two passes: the least load and how many dynos share it, then the k-th of those for one random
   * k. One draw per request, where drawing for each tie (reservoir sampling) cost a draw per idle
   * dyno, most of the time with 1,000 dynos. Loads may move between the passes (a live router's
   * requests end meanwhile); if the k-th tie is gone by then, the first dyno found at the least load
   * is taken.
   */
  @Override
  public <C extends Candidate> C choose(List<C> candidates) {
    int n = candidates.size();
    C first = null;
    int least = Integer.MAX_VALUE;
    int ties = 0;
    for (int i = 0; i < n; i++) {
      int load = candidates.get(i).inFlight();
      if (load < least) {
        first = candidates.get(i);
        least = load;
        ties = 1;
      } else if (load == least) {
        ties++;
      }
    }
    if (ties <= 1) {
      return first;
    }
    int k = random.nextInt(ties);
    for (int i = 0; i < n; i++) {
      C c = candidates.get(i);
      if (c.inFlight() == least && k-- == 0) {
        return c;
      }
    }
    return first;
  }

  @Override
  public String name() {
    return "least-connections";
  }
}
