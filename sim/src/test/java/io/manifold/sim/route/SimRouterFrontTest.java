package io.manifold.sim.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.core.dyno.DynoSettings;
import io.manifold.core.dyno.RestartBackoff;
import io.manifold.core.routing.AppRoutes;
import io.manifold.core.routing.HCode;
import io.manifold.core.routing.RoutingPolicies;
import io.manifold.core.routing.RoutingPolicy;
import io.manifold.core.routing.RoutingTable;
import io.manifold.sim.dist.Distribution;
import io.manifold.sim.random.RandomStreams;
import io.manifold.sim.run.SimManifold;
import io.manifold.sim.run.SimSystem;
import io.manifold.sim.runtime.ServiceModel;
import io.manifold.sim.runtime.SimNetwork;
import io.manifold.sim.runtime.SyntheticRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulated request path against real core Router and Dyno actors, in virtual time. */
class SimRouterFrontTest {
  static final long MS = 1_000_000;
  final SimSystem sys = SimSystem.start(SimSystem.Time.VIRTUAL);
  final SimNetwork network = new SimNetwork();
  final List<Request> answered = new ArrayList<>();
  final List<RoutingTable> tables = new ArrayList<>();
  final List<SimRouterFront> fronts = new ArrayList<>();
  long ids;

  @AfterEach
  void stop() {
    sys.close();
  }

  /** An app of {@code dynos} synthetic dynos behind {@code routers} router nodes. */
  private void start(int dynos, int routers, ServiceModel model, FrontSettings settings) {
    List<Function<String, RoutingPolicy>> policies = new ArrayList<>();
    for (int k = 0; k < routers; k++) {
      tables.add(new RoutingTable());
      policies.add(app -> RoutingPolicies.create("round-robin", null, "test"));
      fronts.add(new SimRouterFront(k, "app", tables.get(k), sys.clock(), network, settings, answered::add, sys.wall()));
    }
    SyntheticRuntime runtime = new SyntheticRuntime(sys.clock(), network, model, new RandomStreams(1), "sim");
    DynoSettings dynoSettings = new DynoSettings(Duration.ofSeconds(60), Duration.ofSeconds(30), RestartBackoff.HEROKU, sys.wall());
    sys.spawn(SimManifold.create("app", dynos, runtime, dynoSettings, tables, policies), "manifold");
    sys.settle();
  }

  private Request send(int router, long serviceMs) {
    return sys.onClock(() -> {
      Request r = new Request(++ids, sys.clock().nanos(), serviceMs * MS, false, -1);
      fronts.get(router).dispatch(r);
      return r;
    });
  }

  private void runFor(long ms) {
    sys.clock().drive(sys.clock().nanos() + ms * MS, () -> false);
  }

  private int inFlight(int router) {
    AppRoutes routes = tables.get(router).routes("app");
    return routes.up().stream().mapToInt(r -> r.inFlight()).sum();
  }

  @Test
  void anAppWithoutWebDynosAnswersH14() {
    start(0, 1, ServiceModel.of(new Distribution.Constant(MS)), FrontSettings.HEROKU);
    Request r = send(0, 10);
    assertEquals(HCode.H14, r.code());
    assertEquals(503, r.status());
    assertEquals(0, r.responseNanos());
  }

  @Test
  void requestsWaitForBootingDynosAndGoOnAsSoonAsOneIsUp() {
    start(2, 1, ServiceModel.of(new Distribution.Constant(MS)).withBoot(new Distribution.Constant(2000 * MS)), FrontSettings.HEROKU);
    long t0 = sys.clock().nanos();
    Request r = send(0, 10);
    runFor(1999);
    assertTrue(answered.isEmpty());
    runFor(100);
    assertEquals(200, r.status());
    assertEquals(t0 + 2010 * MS, r.answeredAt());
    assertEquals(2000 * MS, r.queueNanos());
  }

  @Test
  void aRequestHeldPastTheBootQueueTimeOutGetsH20() {
    // the dynos never bind within their 60 s: R10, a restart, and so on; the request gives up at 75 s
    start(1, 1, ServiceModel.of(new Distribution.Constant(MS)).withBoot(new Distribution.Constant(120_000 * MS)), FrontSettings.HEROKU);
    Request r = send(0, 10);
    runFor(74_999);
    assertEquals(-1, r.answeredAt());
    runFor(2);
    assertEquals(HCode.H20, r.code());
    assertEquals(75_000 * MS, r.responseNanos());
  }

  @Test
  void aSlowRequestGetsH12AndStaysInFlightUntilTheDynoAnswers() {
    start(1, 1, ServiceModel.of(new Distribution.Constant(MS)), FrontSettings.HEROKU);
    Request r = send(0, 40_000);
    runFor(30_000);
    assertEquals(HCode.H12, r.code());
    assertEquals(30_000 * MS, r.responseNanos());
    assertEquals(1, inFlight(0));
    runFor(10_000);
    assertEquals(0, inFlight(0));
    assertEquals(1, answered.size(), "answered once");
  }

  @Test
  void aRouterQueueHoldsRequestsUntilADynoHasAFreeSlot() {
    start(2, 1, ServiceModel.of(new Distribution.Constant(MS)), FrontSettings.HEROKU.withQueue(FrontSettings.Queue.ROUTER, 1));
    List<Request> rs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      rs.add(send(0, 100));
    }
    assertEquals(2, inFlight(0));
    runFor(1000);
    assertEquals(List.of(0L, 0L, 100 * MS, 100 * MS), rs.stream().map(Request::queueNanos).toList());
    assertEquals(4, answered.stream().filter(r -> r.status() == 200).count());
  }

  @Test
  void eachRouterNodeCountsOnlyItsOwnRequestsInFlight() {
    start(3, 2, ServiceModel.of(new Distribution.Constant(MS)), FrontSettings.HEROKU);
    send(0, 500);
    send(0, 500);
    assertEquals(2, inFlight(0));
    assertEquals(0, inFlight(1));
    runFor(600);
    assertEquals(0, inFlight(0));
  }

  @Test
  void aDynoInTheTableThatDoesNotListenIsH21AndLeavesNothingInFlight() {
    start(1, 1, ServiceModel.of(new Distribution.Constant(MS)), FrontSettings.HEROKU);
    // a front whose network has nobody listening: the table says up, the connection is refused
    SimRouterFront deaf = new SimRouterFront(0, "app", tables.get(0), sys.clock(), new SimNetwork(),
        FrontSettings.HEROKU, answered::add, sys.wall());
    Request r = sys.onClock(() -> {
      Request q = new Request(99, sys.clock().nanos(), MS, false, -1);
      deaf.dispatch(q);
      return q;
    });
    assertEquals(HCode.H21, r.code());
    assertEquals(0, inFlight(0));
  }

  @Test
  void aDynoKilledForItsMemoryIsRestartedByTheDynoActorAndRoutedToAgain() {
    // killed once its memory passes 2 bytes: at its third request (the R15 of Heroku)
    start(1, 1, ServiceModel.of(new Distribution.Constant(MS)).withMemory(new ServiceModel.Memory(0, 1, 2)), FrontSettings.HEROKU);
    int firstPort = tables.get(0).routes("app").up().get(0).endpoint().port();
    for (int i = 0; i < 3; i++) {
      send(0, 1);
      runFor(10);
    }
    assertEquals(3, answered.stream().filter(r -> r.status() == 200).count());
    // the Dyno actor saw the exit (137), logged the crash and restarted at once, as Heroku's first crashes are
    AppRoutes routes = tables.get(0).routes("app");
    assertEquals(1, routes.up().size());
    assertTrue(routes.up().get(0).endpoint().port() != firstPort, "a new incarnation, on a new port");
    Request after = send(0, 1);
    runFor(10);
    assertEquals(200, after.status());
  }
}
