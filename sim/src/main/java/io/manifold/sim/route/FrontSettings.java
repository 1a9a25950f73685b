package io.manifold.sim.route;

import java.time.Duration;

/**
 * How a simulated router node treats requests; the live router's defaults where it has them.
 *
 * @param timeout the router's request time-out: a request not answered this long after it left
 *     the router for a dyno (or, with a router queue, after it reached the router) is answered
 *     with H12, while the dyno goes on with it (Heroku: 30 s)
 * @param queue where requests wait when every dyno is busy: at the dynos (the live router and
 *     Heroku's: the policy picks a dyno at once) or at the router (a request waits there until a
 *     dyno has fewer requests in flight from this router than {@code dynoConcurrency}: the
 *     "intelligent routing" of the 2013 debate, and with one router an M/M/c queue)
 * @param dynoConcurrency requests a dyno serves at once, for {@link Queue#ROUTER}
 * @param routerQueueMax bound on requests waiting at the router; one more gets H11
 * @param bootQueueMax bound on requests held while the app's web dynos boot; one more gets H11
 * @param bootQueueTimeout how long a request is held for a booting dyno before H20 (Heroku: 75 s)
 * @param logRequests whether each answer writes a router line to the app's log channel (costs an
 *     actor message per request: off for studies, on for scenarios)
 */
public record FrontSettings(
    Duration timeout,
    Queue queue,
    int dynoConcurrency,
    int routerQueueMax,
    int bootQueueMax,
    Duration bootQueueTimeout,
    boolean logRequests) {

  public enum Queue {
    DYNO, ROUTER;

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static final FrontSettings HEROKU =
      new FrontSettings(Duration.ofSeconds(30), Queue.DYNO, 1, 10_000, 1000, Duration.ofSeconds(75), false);

  public FrontSettings {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the router time-out must be above zero");
    }
    if (dynoConcurrency < 1 || routerQueueMax < 0 || bootQueueMax < 0) {
      throw new IllegalArgumentException("router bounds must not be negative");
    }
  }

  public FrontSettings withTimeout(Duration d) {
    return new FrontSettings(d, queue, dynoConcurrency, routerQueueMax, bootQueueMax, bootQueueTimeout, logRequests);
  }

  public FrontSettings withQueue(Queue q, int concurrency) {
    return new FrontSettings(timeout, q, concurrency, routerQueueMax, bootQueueMax, bootQueueTimeout, logRequests);
  }

  public FrontSettings withLogRequests(boolean on) {
    return new FrontSettings(timeout, queue, dynoConcurrency, routerQueueMax, bootQueueMax, bootQueueTimeout, on);
  }
}
