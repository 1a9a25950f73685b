package io.manifold.sim.validation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.sim.route.FrontSettings;
import io.manifold.sim.run.CellResult;
import io.manifold.sim.run.RunResult;
import io.manifold.sim.run.SimSystem;
import io.manifold.sim.stats.Estimate;
import io.manifold.sim.stats.Metric;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The more a policy knows of the dynos' load, the shorter the wait: random > round-robin >
 * power-of-two > least-connections in mean response time, at every load. Each replication plays
 * the same arrivals and service times to every policy, so the comparison is paired: the 95%
 * interval of the per-replication difference must lie above zero.
 */
class PolicyOrderingTest {
  static final List<String> WORST_TO_BEST = List.of("random", "round-robin", "power-of-two", "least-connections");
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
  void eachPolicyBeatsTheOneThatKnowsLess(double rho) {
    CellResult[] cells = new CellResult[WORST_TO_BEST.size()];
    StringBuilder report = new StringBuilder("rho=" + rho + ":");
    for (int i = 0; i < cells.length; i++) {
      cells[i] = Cells.run(sys, Cells.poissonExponential(10, rho, WORST_TO_BEST.get(i), FrontSettings.Queue.DYNO,
          Duration.ofSeconds(100), Duration.ofSeconds(1000)), 8, 7);
      Estimate e = cells[i].get(Metric.RESPONSE_MEAN);
      report.append(String.format(" %s %.2f+-%.2f ms", WORST_TO_BEST.get(i), e.mean(), e.halfWidth()));
    }
    System.out.println(report);
    for (int i = 1; i < cells.length; i++) {
      Estimate diff = pairedDifference(cells[i - 1].runs(), cells[i].runs());
      assertTrue(diff.lower() > 0, WORST_TO_BEST.get(i - 1) + " - " + WORST_TO_BEST.get(i) + " = " + diff + " ms; " + report);
    }
  }

  private static Estimate pairedDifference(List<RunResult> worse, List<RunResult> better) {
    double[] d = new double[worse.size()];
    for (int r = 0; r < d.length; r++) {
      d[r] = Metric.RESPONSE_MEAN.of(worse.get(r).metrics()) - Metric.RESPONSE_MEAN.of(better.get(r).metrics());
    }
    return Estimate.of(d);
  }
}
