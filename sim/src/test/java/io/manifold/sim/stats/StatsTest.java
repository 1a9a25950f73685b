package io.manifold.sim.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void tQuantilesMatchTheTables() {
    assertEquals(12.7062, StudentT.quantile(0.975, 1), 1e-4);
    assertEquals(2.7764, StudentT.quantile(0.975, 4), 1e-4);
    assertEquals(2.2622, StudentT.quantile(0.975, 9), 1e-4);
    assertEquals(2.0423, StudentT.quantile(0.975, 30), 1e-4);
    assertEquals(3.2498, StudentT.quantile(0.995, 9), 1e-4);
    assertEquals(1.9600, StudentT.quantile(0.975, 1e7), 1e-3);
    assertEquals(-2.2622, StudentT.quantile(0.025, 9), 1e-4);
  }

  @Test
  void anEstimateIsTheMeanWithATInterval() {
    Estimate e = Estimate.of(new double[] {1, 2, 3, 4, 5});
    assertEquals(3, e.mean(), 1e-12);
    // sd = sqrt(2.5), t(0.975, 4) = 2.7764
    assertEquals(2.7764 * Math.sqrt(2.5) / Math.sqrt(5), e.halfWidth(), 1e-3);
    assertTrue(e.covers(4.9) && !e.covers(5.0));
    assertTrue(Double.isNaN(Estimate.of(new double[] {7}).halfWidth()));
  }

  @Test
  void queueingFormulasGiveKnownValues() {
    assertEquals(0.1, QueueingTheory.mm1Mean(10, 20), 1e-12);
    assertEquals(Math.log(100) / 10, QueueingTheory.mm1Quantile(0.99, 10, 20), 1e-12);
    // M/M/2 with a = 1: C = 1/3
    assertEquals(1.0 / 3, QueueingTheory.erlangC(2, 1, 1), 1e-12);
    // M/M/1 is M/M/c with c = 1: C = rho
    assertEquals(0.7, QueueingTheory.erlangC(1, 0.7, 1), 1e-12);
    assertEquals(QueueingTheory.mm1Mean(0.7, 1), QueueingTheory.mmcMean(1, 0.7, 1), 1e-12);
    // large c stays finite
    double c = QueueingTheory.erlangC(1000, 950, 1);
    assertTrue(c > 0 && c < 1, "C = " + c);
  }
}
