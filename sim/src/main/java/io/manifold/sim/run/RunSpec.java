package io.manifold.sim.run;

import io.manifold.core.routing.RoutingPolicies;
import io.manifold.sim.load.Workload;
import io.manifold.sim.route.FrontSettings;
import io.manifold.sim.runtime.ServiceModel;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * One simulated run: an app of {@code dynos} synthetic web dynos behind {@code routerNodes}
 * routers using {@code policy}, under a load, measured for {@code duration} after a
 * {@code warmup} that is discarded. The load starts once every router sees every dyno up.
 *
 * @param load makes the run's load generator (a new one per run: generators keep state)
 * @param traceLimit requests of the window to keep for {@code trace.csv} (0: none)
 */
public record RunSpec(
    int dynos,
    ServiceModel service,
    String policy,
    int routerNodes,
    FrontSettings front,
    Supplier<Workload> load,
    Duration warmup,
    Duration duration,
    long seed,
    int traceLimit) {

  /** Bound on router nodes: each is an actor with its own table. */
  public static final int MAX_ROUTER_NODES = 1000;

  public RunSpec {
    if (dynos < 1 || dynos > WebFormation.MAX_DYNOS) {
      throw new IllegalArgumentException("dynos must be between 1 and " + WebFormation.MAX_DYNOS + ", not " + dynos);
    }
    if (routerNodes < 1 || routerNodes > MAX_ROUTER_NODES) {
      throw new IllegalArgumentException("router nodes must be between 1 and " + MAX_ROUTER_NODES + ", not " + routerNodes);
    }
    if (!RoutingPolicies.NAMES.contains(policy)) {
      throw new IllegalArgumentException("policy must be one of " + RoutingPolicies.NAMES + ", not " + policy);
    }
    if (warmup.isNegative() || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("a run needs a warm-up >= 0 and a duration above zero");
    }
    if (front.queue() == FrontSettings.Queue.ROUTER && front.dynoConcurrency() != service.concurrency()) {
      front = front.withQueue(FrontSettings.Queue.ROUTER, service.concurrency());
    }
  }

  public RunSpec withSeed(long s) {
    return new RunSpec(dynos, service, policy, routerNodes, front, load, warmup, duration, s, traceLimit);
  }

  public RunSpec withPolicy(String p) {
    return new RunSpec(dynos, service, p, routerNodes, front, load, warmup, duration, seed, traceLimit);
  }
}
