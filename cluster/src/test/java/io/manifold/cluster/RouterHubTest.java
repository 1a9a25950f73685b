package io.manifold.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.manifold.core.dyno.DynoName;
import io.manifold.core.dyno.DynoState;
import io.manifold.core.dyno.DynoStatus;
import io.manifold.core.dyno.Endpoint;
import io.manifold.core.routing.Router;
import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A router that the Receptionist lists late is told the routes of the hub's apps at once. */
class RouterHubTest {
  /** One per test: a hub of another test would replay its own apps to this test's router. */
  private final ActorTestKit kit = ActorTestKit.create();

  @AfterEach
  void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void aRouterListedLateIsToldTheLastRoutesOfEveryAppThatIsStillThere() {
    ActorRef<Router.Command> hub = kit.spawn(RouterHub.create(Duration.ofHours(1))).narrow();
    hub.tell(new Router.RegisterApp("shop", null));
    hub.tell(new Router.AppSettings("shop", true, null, null));
    hub.tell(new Router.DynoChanged(web("shop", 1, DynoState.STARTING)));
    hub.tell(new Router.DynoChanged(web("shop", 1, DynoState.UP)));
    hub.tell(new Router.DynoChanged(web("shop", 2, DynoState.UP)));
    hub.tell(new Router.DynoChanged(web("shop", 2, DynoState.DOWN)));
    hub.tell(new Router.RegisterApp("gone", null));
    hub.tell(new Router.DynoChanged(web("gone", 1, DynoState.UP)));
    hub.tell(new Router.UnregisterApp("gone"));

    TestProbe<Router.Command> late = listedRouter();

    assertEquals(new Router.RegisterApp("shop", null), late.receiveMessage());
    assertEquals(new Router.AppSettings("shop", true, null, null), late.receiveMessage());
    assertEquals(new Router.DynoChanged(web("shop", 1, DynoState.UP)), late.receiveMessage());
    late.expectNoMessage(Duration.ofMillis(300)); // web.2 is down, and "gone" was unregistered

    hub.tell(new Router.DynoChanged(web("shop", 3, DynoState.UP)));
    assertEquals(new Router.DynoChanged(web("shop", 3, DynoState.UP)), late.receiveMessage());
  }

  @Test
  void anAppThatWentSilentForThreeChecksIsNotReplayed() throws InterruptedException {
    ActorRef<Router.Command> hub = kit.spawn(RouterHub.create(Duration.ofMillis(50))).narrow();
    hub.tell(new Router.RegisterApp("moved", null));
    hub.tell(new Router.DynoChanged(web("moved", 1, DynoState.UP)));
    Thread.sleep(600); // three checks are 150 ms; an entity that moved to another node speaks there
    hub.tell(new Router.RegisterApp("fresh", null)); // one the hub heard of just now

    TestProbe<Router.Command> late = listedRouter();

    // the listing reached the hub (so the silence after it means something): the fresh app comes,
    // the silent one does not
    assertEquals(new Router.RegisterApp("fresh", null), late.receiveMessage());
    late.expectNoMessage(Duration.ofMillis(300));
  }

  /** A router registered with the Receptionist, as each node's is. */
  private TestProbe<Router.Command> listedRouter() {
    TestProbe<Router.Command> router = kit.createTestProbe();
    TestProbe<Receptionist.Registered> registered = kit.createTestProbe();
    kit.system().receptionist().tell(Receptionist.register(RouterHub.ROUTERS, router.ref(), registered.ref()));
    registered.receiveMessage();
    return router;
  }

  private static DynoStatus web(String app, int index, DynoState state) {
    return new DynoStatus(app, new DynoName("web", index), state, Instant.EPOCH, new Endpoint("127.0.0.1", 5000 + index), 1, "serve");
  }
}
