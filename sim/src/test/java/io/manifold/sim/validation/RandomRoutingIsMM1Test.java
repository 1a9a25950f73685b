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
 * Random routing of Poisson arrivals splits them into N independent Poisson streams, so each
 * single-threaded dyno with exponential service is an M/M/1 queue: mean response 1/(mu - lambda/N),
 * and (FIFO) an exponential response time whose 99th percentile is ln(100)/(mu(1 - rho)).
 */
class RandomRoutingIsMM1Test {
  static final int DYNOS = 10;
  static final int REPLICATIONS = 10;
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
  void meanAndP99MatchMM1WithinTheConfidenceInterval(double rho) {
    CellResult cell = Cells.run(sys, Cells.poissonExponential(DYNOS, rho, "random", FrontSettings.Queue.DYNO,
        Duration.ofSeconds(200), Duration.ofSeconds(2000)), REPLICATIONS, Cells.seed(2013, rho));
    double lambdaPerDyno = rho * Cells.MU;
    double mean = QueueingTheory.mm1Mean(lambdaPerDyno, Cells.MU) * 1000;
    double p99 = QueueingTheory.mm1Quantile(0.99, lambdaPerDyno, Cells.MU) * 1000;
    Estimate simMean = cell.get(Metric.RESPONSE_MEAN);
    Estimate simP99 = cell.get(Metric.RESPONSE_P99);
    System.out.printf("random rho=%.1f mean %.2f +- %.2f ms (M/M/1 %.2f); p99 %.1f +- %.1f ms (ln(100)/(mu(1-rho)) %.1f)%n",
        rho, simMean.mean(), simMean.halfWidth(), mean, simP99.mean(), simP99.halfWidth(), p99);
    assertEquals(0, cell.unanswered());
    assertTrue(Cells.asserted(cell, Metric.RESPONSE_MEAN).covers(mean), "mean " + simMean + " vs M/M/1 " + mean);
    assertTrue(Cells.asserted(cell, Metric.RESPONSE_P99).covers(p99), "p99 " + simP99 + " vs " + p99);
  }
}
