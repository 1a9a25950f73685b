package io.manifold.sim.run;

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
import io.manifold.sim.route.FrontSettings;
import io.manifold.sim.route.Request;
import io.manifold.sim.route.SimRouterFront;
import io.manifold.sim.runtime.ServiceModel;
import io.manifold.sim.runtime.SimNetwork;
import io.manifold.sim.runtime.SyntheticRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node lost in virtual time: its dynos die with their requests and say nothing; the router keeps
 * sending to them until the loss is detected; then they start again on the surviving node.
 */
class NodeLossTest {
  static final long MS = 1_000_000;
  final SimSystem sys = SimSystem.start(SimSystem.Time.VIRTUAL);
  final List<Request> answered = new ArrayList<>();
  long ids;

  @AfterEach
  void stop() {
    sys.close();
  }

  @Test
  void aLostNodesDynosFailUntilDetectionThenRunOnTheSurvivors() {
    SimNetwork network = new SimNetwork();
    ServiceModel model = ServiceModel.of(new Distribution.Constant(MS)).withBoot(new Distribution.Constant(1000 * MS));
    List<SyntheticRuntime> nodes = List.of(
        new SyntheticRuntime(sys.clock(), network, model, new RandomStreams(1), "node-1"),
        new SyntheticRuntime(sys.clock(), network, model, new RandomStreams(2), "node-2"));
    RoutingTable table = new RoutingTable();
    List<Function<String, RoutingPolicy>> policies = List.of(app -> RoutingPolicies.create("round-robin", null, "test"));
    DynoSettings settings = new DynoSettings(Duration.ofSeconds(60), Duration.ofSeconds(30), RestartBackoff.HEROKU, sys.wall());
    ActorRef<SimManifold.Command> manifold = sys.spawn(
        SimManifold.create("app", 4, nodes, Duration.ofSeconds(10), settings, List.of(table), policies), "m");
    SimRouterFront front = new SimRouterFront(0, "app", table, sys.clock(), network, FrontSettings.HEROKU, answered::add, sys.wall());
    assertTrue(sys.awaitCondition(() -> up(table) == 4, Duration.ofSeconds(5).toNanos(), List.of(table)));
    assertEquals(List.of("node-1", "node-2", "node-1", "node-2"), hosts(table));

    List<Request> slow = sendEach(front, 4, 2000);
    manifold.tell(new SimManifold.KillNode(1));
    runFor(500);
    // the two requests on node-2 are lost with it
    assertEquals(List.of(HCode.H13, HCode.H13), slow.stream().filter(Request::isAnswered).map(Request::code).toList());
    // the router does not know yet: half of what it sends meets a dead port
    List<Request> blind = sendEach(front, 4, 1);
    runFor(100);
    assertEquals(2, blind.stream().filter(r -> r.code() == HCode.H21).count());
    assertEquals(4, up(table));

    runFor(10_000); // detection at 10 s after the loss: the two lost dynos are down, starting on node-1
    assertEquals(2, up(table));
    assertEquals(2, table.routes("app").starting());
    runFor(1_000); // their 1 s boot
    assertEquals(4, up(table));
    assertEquals(List.of("node-1", "node-1", "node-1", "node-1"), hosts(table));
    List<Request> after = sendEach(front, 4, 1);
    runFor(100);
    assertTrue(after.stream().allMatch(r -> r.status() == 200), "all served after recovery");
  }

  private List<Request> sendEach(SimRouterFront front, int n, long serviceMs) {
    return sys.onClock(() -> {
      List<Request> sent = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Request r = new Request(++ids, sys.clock().nanos(), serviceMs * MS, false, -1);
        front.dispatch(r);
        sent.add(r);
      }
      return sent;
    });
  }

  private void runFor(long ms) {
    sys.clock().drive(sys.clock().nanos() + ms * MS, () -> false);
  }

  private static int up(RoutingTable table) {
    AppRoutes r = table.routes("app");
    return r == null ? 0 : r.up().size();
  }

  private static List<String> hosts(RoutingTable table) {
    return table.routes("app").up().stream().map(r -> r.endpoint().host()).toList();
  }
}
