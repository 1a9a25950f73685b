package io.manifold.core.routing;

import io.manifold.core.dyno.DynoName;
import io.manifold.core.dyno.Endpoint;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An up web dyno as this router sees it: where it listens, and how many requests this router has
 * in flight to it. The count lives as long as the dyno stays at the same endpoint, across updates
 * of the table.
 */
public final class Route implements RoutingPolicy.Candidate {
  private final DynoName dyno;
  private final Endpoint endpoint;
  private final AtomicInteger inFlight = new AtomicInteger();

  Route(DynoName dyno, Endpoint endpoint) {
    this.dyno = dyno;
    this.endpoint = endpoint;
  }

  public DynoName dyno() {
    return dyno;
  }

  public Endpoint endpoint() {
    return endpoint;
  }

  @Override
  public int inFlight() {
    return inFlight.get();
  }

  /** A request was sent to this dyno; call {@link #finished()} exactly once when it is over. */
  public void started() {
    inFlight.incrementAndGet();
  }

  public void finished() {
    inFlight.decrementAndGet();
  }

  @Override
  public String toString() {
    return dyno + "@" + endpoint + " (" + inFlight() + " in flight)";
  }
}
