package io.manifold.sim.load;

import io.manifold.sim.dist.Distribution;
import io.manifold.sim.route.Request;
import io.manifold.sim.time.SimClock;
import java.util.random.RandomGenerator;

/**
 * Makes the requests of a run, drawing each one's service time and whether it fails as it is
 * sent, from streams of their own. So the n-th request of a run gets the same service time under
 * every routing policy, dyno count or router count (common random numbers): a comparison between
 * policies sees the same work, and its differences are the policies'.
 */
public final class RequestFactory {
  private final SimClock clock;
  private final Distribution service;
  private final double errorRate;
  private final RandomGenerator serviceStream;
  private final RandomGenerator errorStream;
  private long sent;

  public RequestFactory(SimClock clock, Distribution service, double errorRate, RandomGenerator serviceStream, RandomGenerator errorStream) {
    this.clock = clock;
    this.service = service;
    this.errorRate = errorRate;
    this.serviceStream = serviceStream;
    this.errorStream = errorStream;
  }

  /** A request arriving now, from closed-loop {@code user} (or -1). */
  public Request next(int user) {
    return next(user, Math.round(service.sample(serviceStream)));
  }

  /** A request arriving now with a given service time (from a trace). */
  public Request next(int user, long serviceNanos) {
    boolean fails = errorRate > 0 && errorStream.nextDouble() < errorRate;
    return new Request(++sent, clock.nanos(), serviceNanos, fails, user);
  }

  /** Requests made so far. */
  public long sent() {
    return sent;
  }
}
