package io.manifold.sim.run;

import io.manifold.core.dyno.DynoSettings;
import io.manifold.core.dyno.RestartBackoff;
import io.manifold.core.routing.AppRoutes;
import io.manifold.core.routing.RoutingPolicies;
import io.manifold.core.routing.RoutingPolicy;
import io.manifold.core.routing.RoutingTable;
import io.manifold.sim.load.LoadContext;
import io.manifold.sim.load.RequestFactory;
import io.manifold.sim.load.Workload;
import io.manifold.sim.random.RandomStreams;
import io.manifold.sim.record.Recorder;
import io.manifold.sim.record.RunMetrics;
import io.manifold.sim.route.Request;
import io.manifold.sim.route.SimRouterFront;
import io.manifold.sim.route.SimRouters;
import io.manifold.sim.runtime.SimNetwork;
import io.manifold.sim.runtime.SyntheticRuntime;
import io.manifold.sim.time.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Runs one replication: starts the manifold's actors ({@link SimManifold}) on a synthetic
 * runtime, waits until every router sees every dyno up, plays the load through the routers'
 * request path, records what every request saw, waits for the last answer, and stops the actors.
 *
 * <p>Random streams, all from the run's seed: {@code dynos/...} (boot times, a dyno's own draws),
 * {@code policy/k} (router k's policy), {@code router-node} (which router a request lands on),
 * {@code service} and {@code errors} (each request's service time and failure),
 * {@code load/arrivals}, {@code load/think}.
 */
public final class SimRun {
  /** How long the dynos may take to come up before the run gives up: the dyno's boot time-out. */
  static final Duration BOOT_TIMEOUT = Duration.ofSeconds(60);
  private static final String APP = "app";

  private SimRun() {}

  /** @param name unique within the system, for the actors' names */
  public static RunResult run(SimSystem sys, RunSpec spec, String name) {
    RandomStreams streams = new RandomStreams(spec.seed());
    EventLoop clock = sys.clock();
    SimNetwork network = new SimNetwork();
    SyntheticRuntime runtime = new SyntheticRuntime(clock, network, spec.service(), streams.derive("dynos"), "sim");
    List<RoutingTable> tables = new ArrayList<>();
    List<Function<String, RoutingPolicy>> policies = new ArrayList<>();
    for (int k = 0; k < spec.routerNodes(); k++) {
      tables.add(new RoutingTable());
      RandomStreams policyStreams = streams.derive("policy/" + k);
      policies.add(app -> RoutingPolicies.create(spec.policy(), policyStreams.stream(app), "policy"));
    }
    DynoSettings dynoSettings = new DynoSettings(BOOT_TIMEOUT, Duration.ofSeconds(30), RestartBackoff.HEROKU, sys.wall());
    ActorRef<SimManifold.Command> manifold = sys.spawn(
        SimManifold.create(APP, spec.dynos(), runtime, dynoSettings, tables, policies), name);
    try {
      if (!sys.awaitCondition(() -> allUp(tables, spec.dynos()), BOOT_TIMEOUT.toNanos(), tables)) {
        throw new IllegalStateException("the " + spec.dynos() + " web dynos were not all up within " + BOOT_TIMEOUT.toSeconds() + " s");
      }
      return measure(sys, spec, streams, network, tables);
    } finally {
      manifold.tell(SimManifold.Stop.INSTANCE);
      sys.settle();
    }
  }

  private static RunResult measure(SimSystem sys, RunSpec spec, RandomStreams streams, SimNetwork network, List<RoutingTable> tables) {
    EventLoop clock = sys.clock();
    // real time: leave the main thread a moment to hand everything over before the first arrival
    long start = clock.nanos() + (sys.time() == SimSystem.Time.REAL ? Duration.ofMillis(50).toNanos() : 0);
    long measureFrom = start + spec.warmup().toNanos();
    long end = measureFrom + spec.duration().toNanos();
    Recorder recorder = new Recorder(measureFrom, end, spec.traceLimit());
    Workload workload = spec.load().get();
    RequestFactory requests = new RequestFactory(clock, spec.service().service(), spec.service().errorRate(),
        streams.stream("service"), streams.stream("errors"));
    CompletableFuture<Void> done = new CompletableFuture<>();
    Consumer<Request> answers = r -> {
      recorder.accept(r);
      workload.answered(r);
      if (r.answeredAt() >= end && recorder.answered() == requests.sent()) {
        done.complete(null);
      }
    };
    List<SimRouterFront> fronts = new ArrayList<>();
    for (int k = 0; k < tables.size(); k++) {
      fronts.add(new SimRouterFront(k, APP, tables.get(k), clock, network, spec.front(), answers, sys.wall()));
    }
    SimRouters routers = new SimRouters(fronts, streams.stream("router-node"));
    LoadContext ctx = new LoadContext(clock, routers, requests, streams.derive("load"), start, end);
    long wallStart = System.nanoTime();
    clock.at(start, () -> workload.start(ctx));
    clock.at(end, () -> {
      if (recorder.answered() == requests.sent()) {
        done.complete(null);
      }
    });
    // every request is answered within the router's time-outs after the load stops
    long drain = spec.front().timeout().plus(spec.front().bootQueueTimeout()).plusSeconds(1).toNanos();
    sys.await(done, end + drain);
    long wall = System.nanoTime() - wallStart;
    long[] counts = new long[2];
    RunMetrics metrics = sys.onClock(() -> {
      counts[0] = requests.sent();
      counts[1] = requests.sent() - recorder.answered();
      return recorder.metrics();
    });
    return new RunResult(spec, spec.seed(), metrics, counts[0], counts[1], wall);
  }

  private static boolean allUp(List<RoutingTable> tables, int dynos) {
    for (RoutingTable t : tables) {
      AppRoutes routes = t.routes(APP);
      if (routes == null || routes.up().size() < dynos) {
        return false;
      }
    }
    return true;
  }
}
