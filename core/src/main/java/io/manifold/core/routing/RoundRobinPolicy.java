package io.manifold.core.routing;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Each dyno in turn, as nginx's and HAProxy's default. */
public final class RoundRobinPolicy implements RoutingPolicy {
  private final AtomicLong next = new AtomicLong();

  @Override
  public <C extends Candidate> C choose(List<C> candidates) {
    return candidates.get((int) Math.floorMod(next.getAndIncrement(), (long) candidates.size()));
  }

  @Override
  public String name() {
    return "round-robin";
  }
}
