package io.manifold.sim.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.sim.route.FrontSettings;
import io.manifold.sim.run.CellResult;
import io.manifold.sim.run.SimSystem;
import io.manifold.sim.stats.Estimate;
import io.manifold.sim.stats.Metric;
import io.manifold.sim.stats.QueueingTheory;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One router holding requests in a central queue and sending each to an idle single-threaded dyno
 * (the router queue) is an M/M/c queue: mean response 1/mu + C(c, a)/(c mu - lambda), with
 * Erlang's C the probability of waiting, which is also the share of requests that queue.
 */
class CentralQueueIsMMcTest {
  static final int DYNOS = 10;
  static SimSystem sys;

  @BeforeAll
  static void start() {
    sys = SimSystem.start(SimSystem.Time.VIRTUAL);
  }

  @AfterAll
  static void stop() {
    sys.close();
  }

  @ParameterizedTest(name = "rho = {0}")
  @ValueSource(doubles = {0.5, 0.7, 0.9})
  void meanResponseAndShareQueuedMatchErlangC(double rho) {
    CellResult cell = Cells.run(sys, Cells.poissonExponential(DYNOS, rho, "random", FrontSettings.Queue.ROUTER,
        Duration.ofSeconds(100), Duration.ofSeconds(1000)), 10, Cells.seed(1946, rho));
    double lambda = rho * DYNOS * Cells.MU;
    double mean = QueueingTheory.mmcMean(DYNOS, lambda, Cells.MU) * 1000;
    double waits = QueueingTheory.erlangC(DYNOS, lambda, Cells.MU);
    Estimate simMean = cell.get(Metric.RESPONSE_MEAN);
    Estimate simQueued = cell.get(Metric.QUEUED_SHARE);
    System.out.printf("central queue rho=%.1f mean %.3f +- %.3f ms (M/M/c %.3f); queued %.4f +- %.4f (Erlang C %.4f)%n",
        rho, simMean.mean(), simMean.halfWidth(), mean, simQueued.mean(), simQueued.halfWidth(), waits);
    assertEquals(0, cell.unanswered());
    assertTrue(Cells.asserted(cell, Metric.RESPONSE_MEAN).covers(mean), "mean " + simMean + " vs M/M/c " + mean);
    assertTrue(Cells.asserted(cell, Metric.QUEUED_SHARE).covers(waits), "queued share " + simQueued + " vs Erlang C " + waits);
  }
}
