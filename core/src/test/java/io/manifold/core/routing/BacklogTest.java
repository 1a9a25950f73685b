package io.manifold.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.core.dyno.DynoName;
import io.manifold.core.dyno.Endpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Heroku's per-dyno limit and the app's backlog, without the network. */
class BacklogTest {
  private final RoutingTable table = new RoutingTable();
  private final Backlog backlog = new Backlog(table);
  private final Route web1 = new Route(new DynoName("web", 1), new Endpoint("127.0.0.1", 5001), backlog);
  private final Route web2 = new Route(new DynoName("web", 2), new Endpoint("127.0.0.1", 5002), backlog);
  private final List<Route> up = List.of(web1, web2);
  private final RoutingPolicy roundRobin = new RoundRobinPolicy();

  private int evicted;

  /** A waiter that takes a slot with {@code take} and counts its eviction. */
  private Backlog.Waiter waiter(java.util.function.Predicate<Route> take) {
    return new Backlog.Waiter() {
      @Override
      public boolean take(Route route) {
        return take.test(route);
      }

      @Override
      public void evicted() {
        evicted++;
      }
    };
  }

  BacklogTest() {
    table.limits(new RoutingTable.Limits(1, 2));
    backlog.up(up);
  }

  @Test
  void aDynoTakesAtMostItsLimitAndAFreedSlotIsTakenAgain() {
    assertSame(web1, backlog.admit(roundRobin, up));
    assertSame(web2, backlog.admit(roundRobin, up));
    assertNull(backlog.admit(roundRobin, up), "both dynos have their one request");
    web1.finished();
    assertEquals(0, web1.inFlight());
    assertSame(web1, backlog.admit(roundRobin, up), "the policy's pick is full: the free one is taken");
  }

  @Test
  void theBacklogHoldsBacklogPerDynoTimesUpDynos() {
    backlog.admit(roundRobin, up);
    backlog.admit(roundRobin, up);
    List<Route> given = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      assertTrue(backlog.join(waiter(given::add)), "waiter " + i);
    }
    assertFalse(backlog.join(waiter(given::add)), "2 x 2 dynos: the fifth is H11");
    web2.finished();
    assertEquals(List.of(web2), given, "the oldest waiter gets the slot web.2 freed");
    assertEquals(3, backlog.size());
    assertEquals(1, web2.inFlight());
  }

  @Test
  void aWaiterThatGaveUpPassesItsSlotOn() {
    backlog.admit(roundRobin, up);
    backlog.admit(roundRobin, up);
    List<Route> given = new ArrayList<>();
    backlog.join(waiter(r -> false)); // timed out meanwhile
    backlog.join(waiter(given::add));
    web1.finished();
    assertEquals(List.of(web1), given);
    assertEquals(0, backlog.size());
  }

  @Test
  void whenTheAppLosesItsLastUpDynoEveryWaiterIsEvictedToBeRoutedAgain() {
    backlog.admit(roundRobin, up);
    backlog.admit(roundRobin, up);
    List<Route> given = new ArrayList<>();
    backlog.join(waiter(given::add));
    backlog.join(waiter(given::add));
    backlog.evictAll();
    assertEquals(2, evicted);
    assertEquals(0, backlog.size());
    web1.finished();
    assertEquals(List.of(), given, "no waiter is left to take the slot");
  }

  @Test
  void aQuarantinedDynoIsSkipped() {
    web1.quarantine(HCode.H21, Duration.ofSeconds(5));
    assertSame(web2, backlog.admit(roundRobin, up));
    assertNull(backlog.admit(roundRobin, up), "web.2 is full and web.1 sits out its quarantine");
    assertFalse(backlog.allQuarantined(up));
    web2.quarantine(HCode.H19, Duration.ofSeconds(5));
    assertTrue(backlog.allQuarantined(up));
  }
}
