package io.manifold.core.routing;

import java.util.List;

/**
 * How a router picks one of an app's up web dynos for a request. Heroku's routers pick at
 * random; the others are here to measure what that costs. A policy is used from many threads at
 * once and must be thread-safe.
 */
public interface RoutingPolicy {

  /** Something a policy can choose: a dyno, with the requests this router has in flight to it. */
  interface Candidate {
    int inFlight();
  }

  /**
   * Picks one of {@code candidates}, which is never empty and is in a stable order (by dyno name)
   * from one call to the next while the set of dynos does not change.
   */
  <C extends Candidate> C choose(List<C> candidates);

  /** The name used in config and on the command line: {@code random}, {@code power-of-two}. */
  String name();
}
