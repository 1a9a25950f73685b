package io.manifold.http.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.core.routing.HCode;
import io.manifold.core.routing.RoutingTable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The console's live figures: rates and quantiles over the last second, from the router's counters. */
class RouterStatsTest {
  private final NodeMetrics node = new NodeMetrics();
  private final RouterMetrics router = new RouterMetrics(node, new RoutingTable());
  private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
  private final RouterStats stats = new RouterStats("node-1", node, clock::get);

  private void served(String app, int n, long millis) {
    for (int i = 0; i < n; i++) {
      router.record(app, 200, null, System.nanoTime() - millis * 1_000_000L);
    }
  }

  private void advance(long millis) {
    clock.addAndGet(millis * 1_000_000L);
  }

  @Test
  void theFirstReadingHasTotalsButNoRateYet() {
    served("shop", 3, 2);
    RouterStats.Figures f = stats.read("shop");
    assertEquals(3, f.requests());
    assertEquals(0, f.windowSeconds());
    assertTrue(Double.isNaN(f.requestsPerSecond()) && Double.isNaN(f.p99Seconds()), f.toString());
  }

  @Test
  void requestsPerSecondAndQuantilesCoverOnlyTheLastSecond() {
    served("shop", 50, 90); // before the window: slow requests that must not weigh on the quantiles
    stats.read("shop");
    advance(1_000);
    served("shop", 20, 4);
    RouterStats.Figures f = stats.read("shop");
    assertEquals(1.0, f.windowSeconds(), 1e-9);
    assertEquals(20.0, f.requestsPerSecond(), 1e-9);
    assertTrue(f.p50Seconds() > 0.003 && f.p50Seconds() <= 0.0075, "p50 of the window's 4 ms requests: " + f.p50Seconds());
    assertTrue(f.p99Seconds() <= 0.0075, "the earlier 90 ms requests are outside the window: " + f.p99Seconds());
    assertEquals(70, f.requests());
  }

  @Test
  void errorsAreCountedByHCodeInTheWindowAndInTotal() {
    router.record("shop", 503, HCode.H80, System.nanoTime());
    stats.read("shop");
    advance(1_000);
    router.record("shop", 503, HCode.H80, System.nanoTime());
    router.record("shop", 503, HCode.H80, System.nanoTime());
    router.record("shop", 503, HCode.H12, System.nanoTime());
    served("shop", 1, 1);
    RouterStats.Figures f = stats.read("shop");
    assertEquals(Map.of("H80", 2L, "H12", 1L), f.errors());
    assertEquals(Map.of("H80", 3L, "H12", 1L), f.totalErrors());
    assertEquals(4.0, f.requestsPerSecond(), 1e-9);
  }

  @Test
  void readersPollingTogetherShareSamplesAndEachGetsAWindowOfAboutASecond() {
    stats.read("shop");
    advance(500);
    stats.read("shop"); // a second tab, half a second later
    advance(600);
    served("shop", 11, 1);
    RouterStats.Figures f = stats.read("shop");
    assertEquals(1.1, f.windowSeconds(), 1e-9, "compared with the newest sample at least a second old");
    assertEquals(10.0, f.requestsPerSecond(), 1e-9);
    advance(50);
    RouterStats.Figures again = stats.read("shop");
    assertEquals(1.15, again.windowSeconds(), 1e-9, "still the newest sample at least a second old");
  }

  @Test
  void aReadingMomentsAfterAnotherHasNoRateRatherThanAWildOne() {
    stats.read("shop");
    advance(10);
    served("shop", 1, 1);
    assertTrue(Double.isNaN(stats.read("shop").requestsPerSecond()));
  }

  @Test
  void anAppWhoseCountersStartedAgainIsReadAfresh() {
    served("shop", 5, 1);
    stats.read("shop");
    router.forget("shop");
    advance(1_000);
    served("shop", 1, 1);
    RouterStats.Figures f = stats.read("shop");
    assertTrue(Double.isNaN(f.requestsPerSecond()), "no negative rate across the reset: " + f);
    assertEquals(1, f.requests());
  }

  @Test
  void anAppNobodyAsksAboutIsForgotten() {
    stats.read("shop");
    stats.read("gone");
    assertEquals(2, stats.appsKept());
    advance(RouterStats.KEEP / 1_000_000 + 1);
    stats.read("shop");
    assertEquals(1, stats.appsKept(), "only the app still asked about");
    assertTrue(Double.isNaN(stats.read("shop").requestsPerSecond()), "its old samples are gone too");
  }

  /** A second node's router and figures, on the same clock. */
  private record Node(RouterMetrics router, RouterStats stats) {
    static Node of(String name, AtomicLong clock) {
      NodeMetrics metrics = new NodeMetrics();
      return new Node(new RouterMetrics(metrics, new RoutingTable()), new RouterStats(name, metrics, clock::get));
    }

    void served(String app, int n, long millis) {
      for (int i = 0; i < n; i++) {
        router.record(app, 200, null, System.nanoTime() - millis * 1_000_000L);
      }
    }
  }

  @Test
  void nodesFiguresAddUpAndTheirQuantilesAreThoseOfAllTheirRequestsTogether() {
    Node other = Node.of("node-2", clock);
    Node together = Node.of("one-router", clock); // what a single router that saw every request would say
    stats.read("shop");
    other.stats.read("shop");
    together.stats.read("shop");
    advance(1_000);
    served("shop", 60, 7); // 7 and 35 ms: mid-bucket, so that the time the test takes moves no request
    together.served("shop", 60, 7);
    other.served("shop", 40, 35);
    together.served("shop", 40, 35);
    other.router.record("shop", 503, HCode.H12, System.nanoTime());
    together.router.record("shop", 503, HCode.H12, System.nanoTime());

    RouterStats.Window mine = stats.window("shop");
    RouterStats.Window theirs = other.stats.window("shop");
    RouterStats.Figures merged = RouterStats.merge("shop", List.of(mine, theirs));
    RouterStats.Figures one = together.stats.read("shop");
    assertEquals(101.0, merged.requestsPerSecond(), 1e-9);
    assertEquals(101, merged.requests());
    assertEquals(Map.of("H12", 1L), merged.errors());
    assertEquals(one.p50Seconds(), merged.p50Seconds(), 1e-12);
    assertEquals(one.p99Seconds(), merged.p99Seconds(), 1e-12);
    assertTrue(merged.p99Seconds() > 0.03, "the slow node's requests make the p99: " + merged);
    double averaged = (mine.figures().p99Seconds() + theirs.figures().p99Seconds()) / 2;
    assertTrue(Math.abs(averaged - merged.p99Seconds()) > 0.005, "not the mean of the nodes' p99s: " + averaged);
  }

  @Test
  void aNodeOnItsFirstReadingAddsItsTotalsButNoRate() {
    Node other = Node.of("node-2", clock);
    stats.read("shop");
    advance(1_000);
    served("shop", 10, 7);
    other.served("shop", 5, 7); // node-2 is asked for the first time now
    RouterStats.Figures merged = RouterStats.merge("shop", List.of(stats.window("shop"), other.stats.window("shop")));
    assertEquals(10.0, merged.requestsPerSecond(), 1e-9);
    assertEquals(15, merged.requests());
    assertTrue(Double.isNaN(RouterStats.merge("shop", List.of()).requestsPerSecond()), "no node: nothing known");
  }
}
