package io.manifold.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.core.dyno.DynoName;
import io.manifold.core.dyno.DynoState;
import io.manifold.core.dyno.DynoStatus;
import io.manifold.core.dyno.Endpoint;
import io.manifold.core.logs.LogChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LogCapturingExtension.class)
class RouterTest {
  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private final RoutingTable table = new RoutingTable();
  private final ActorRef<Router.Command> router =
      kit.spawn(Router.create(table, app -> new RoundRobinPolicy()));
  private final TestProbe<LogChannel.Command> logs = kit.createTestProbe();

  private static DynoStatus status(String dyno, DynoState state, Endpoint endpoint) {
    return new DynoStatus("shop", DynoName.parseOrNull(dyno), state, Instant.now(), endpoint, 1, "run");
  }

  /** Waits (bounded) until the published table satisfies the condition. */
  private AppRoutes awaitRoutes(Predicate<AppRoutes> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      CompletableFuture<Void> next = table.nextChange().toCompletableFuture();
      AppRoutes r = table.routes("shop");
      if (condition.test(r)) {
        return r;
      }
      try {
        next.get(200, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException ignored) {
        // look again
      }
    }
    throw new AssertionError("the table never got there; now: " + table.routes("shop"));
  }

  @Test
  void anAppWithoutWebDynosIsKnownButHasNoRoutes() throws Exception {
    router.tell(new Router.RegisterApp("shop", logs.getRef()));
    AppRoutes r = awaitRoutes(x -> x != null);
    assertTrue(r.noWebDynos());
    assertSame(logs.getRef(), r.logs());
    assertNull(table.routes("other"));
  }

  @Test
  void onlyUpWebDynosWithAnEndpointTakeTraffic() throws Exception {
    router.tell(new Router.RegisterApp("shop", logs.getRef()));
    router.tell(new Router.DynoChanged(status("web.1", DynoState.STARTING, null)));
    router.tell(new Router.DynoChanged(status("worker.1", DynoState.UP, null)));
    AppRoutes booting = awaitRoutes(x -> x != null && x.starting() == 1);
    assertTrue(booting.booting());
    assertTrue(booting.up().isEmpty());

    router.tell(new Router.DynoChanged(status("web.2", DynoState.UP, new Endpoint("127.0.0.1", 5002))));
    router.tell(new Router.DynoChanged(status("web.1", DynoState.UP, new Endpoint("127.0.0.1", 5001))));
    AppRoutes up = awaitRoutes(x -> x.up().size() == 2);
    assertEquals("web.1", up.up().get(0).dyno().toString(), "sorted by dyno name");
    assertEquals(0, up.starting());
  }

  @Test
  void allWebDynosCrashedIsNeitherBootingNorEmpty() throws Exception {
    router.tell(new Router.RegisterApp("shop", logs.getRef()));
    router.tell(new Router.DynoChanged(status("web.1", DynoState.CRASHED, null)));
    AppRoutes r = awaitRoutes(x -> x != null && x.crashed() == 1);
    assertTrue(!r.booting() && !r.noWebDynos() && r.up().isEmpty());
  }

  @Test
  void aStoppedDynoLeavesTheTableAndInFlightCountsSurviveUpdates() throws Exception {
    router.tell(new Router.RegisterApp("shop", logs.getRef()));
    Endpoint e1 = new Endpoint("127.0.0.1", 5001);
    router.tell(new Router.DynoChanged(status("web.1", DynoState.UP, e1)));
    Route route = awaitRoutes(x -> x != null && x.up().size() == 1).up().get(0);
    assertTrue(route.tryStart(50));
    router.tell(new Router.DynoChanged(status("web.2", DynoState.UP, new Endpoint("127.0.0.1", 5002))));
    AppRoutes two = awaitRoutes(x -> x.up().size() == 2);
    assertSame(route, two.up().get(0), "same dyno, same endpoint: same route and count");
    assertEquals(1, two.up().get(0).inFlight());

    // stopping: still up in heroku ps, but without an endpoint it takes no more requests
    router.tell(new Router.DynoChanged(status("web.1", DynoState.UP, null)));
    AppRoutes draining = awaitRoutes(x -> x.up().size() == 1);
    assertEquals("web.2", draining.up().get(0).dyno().toString());
    router.tell(new Router.DynoChanged(status("web.1", DynoState.DOWN, null)));
    router.tell(new Router.DynoChanged(status("web.2", DynoState.DOWN, null)));
    assertTrue(awaitRoutes(x -> x.up().isEmpty() && x.starting() == 0).noWebDynos());
  }

  @Test
  void anUnregisteredAppIsGone() throws Exception {
    router.tell(new Router.RegisterApp("shop", logs.getRef()));
    awaitRoutes(x -> x != null);
    router.tell(new Router.UnregisterApp("shop"));
    awaitRoutes(x -> x == null);
  }

  @Test
  void newsThatChangesNothingPublishesNoNewTable() throws Exception {
    DynoStatus up = status("web.1", DynoState.UP, new Endpoint("127.0.0.1", 5001));
    router.tell(new Router.RegisterApp("shop", logs.ref()));
    router.tell(new Router.DynoChanged(up));
    awaitRoutes(r -> r != null && r.up().size() == 1);

    // every change from now on, with the apps the table had then (the watch is told in the
    // router's thread, in order, and subscribes again before the next change can come)
    java.util.List<java.util.Set<String>> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<Void> otherSeen = new CompletableFuture<>();
    watch(changes, otherSeen);
    router.tell(new Router.RegisterApp("shop", logs.ref()));
    router.tell(Router.AppSettings.defaults("shop"));
    router.tell(new Router.DynoChanged(up));
    router.tell(new Router.DynoChanged(status("web.9", DynoState.DOWN, null))); // never heard of
    router.tell(new Router.RegisterApp("other", logs.ref())); // a real change, after them

    otherSeen.get(5, TimeUnit.SECONDS);
    assertEquals(java.util.List.of(java.util.Set.of("shop", "other")), changes, "one new table, for the new app only");
  }

  private void watch(java.util.List<java.util.Set<String>> changes, CompletableFuture<Void> otherSeen) {
    table.nextChange().thenRun(() -> {
      changes.add(java.util.Set.copyOf(table.all().keySet()));
      if (table.all().containsKey("other")) {
        otherSeen.complete(null);
      } else {
        watch(changes, otherSeen);
      }
    });
  }
}
