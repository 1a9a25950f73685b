package io.manifold.sim.route;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * K router nodes behind one address, as Heroku's: each request lands on one of them at random (the
 * load balancer in front of the routing mesh), and each knows only its own requests in flight. With
 * K = 1 this is a single router with a complete view.
 */
public final class SimRouters implements RequestSink {
  private final SimRouterFront[] fronts;
  private final RandomGenerator pick;

  /** @param pick the stream that chooses a router for each request (unused when K = 1) */
  public SimRouters(List<SimRouterFront> fronts, RandomGenerator pick) {
    if (fronts.isEmpty()) {
      throw new IllegalArgumentException("at least one router node");
    }
    this.fronts = fronts.toArray(new SimRouterFront[0]);
    this.pick = pick;
  }

  @Override
  public void send(Request r) {
    SimRouterFront front = fronts.length == 1 ? fronts[0] : fronts[pick.nextInt(fronts.length)];
    front.dispatch(r);
  }

  public List<SimRouterFront> fronts() {
    return List.of(fronts);
  }

  /** Requests the routers hold now. */
  public int open() {
    int n = 0;
    for (SimRouterFront f : fronts) {
      n += f.open();
    }
    return n;
  }
}
