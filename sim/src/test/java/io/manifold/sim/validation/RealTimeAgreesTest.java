package io.manifold.sim.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.sim.dist.Distribution;
import io.manifold.sim.load.OpenLoop;
import io.manifold.sim.load.RateProfile;
import io.manifold.sim.route.FrontSettings;
import io.manifold.sim.run.CellResult;
import io.manifold.sim.run.RunSpec;
import io.manifold.sim.run.SimSystem;
import io.manifold.sim.runtime.ServiceModel;
import io.manifold.sim.stats.Estimate;
import io.manifold.sim.stats.Metric;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The same study in real time (Pekko's own dispatcher and scheduler, requests paced by the wall
 * clock) and in virtual time gives results that agree within their confidence intervals. Kept
 * small, as it takes its duration in wall-clock time: about 10 s.
 */
class RealTimeAgreesTest {

  @Test
  void realAndVirtualTimeAgreeWithinTheirIntervals() {
    // 4 dynos, 10 ms exponential service, rho = 0.6: M/M/1 per dyno, 25 ms mean response
    RunSpec spec = new RunSpec(4, ServiceModel.of(new Distribution.Exponential(10e6)), "random", 1, FrontSettings.HEROKU,
        () -> new OpenLoop(OpenLoop.Arrivals.POISSON, RateProfile.constant(240)),
        Duration.ofMillis(500), Duration.ofSeconds(3), 0, 0);
    CellResult real;
    try (SimSystem sys = SimSystem.start(SimSystem.Time.REAL)) {
      real = Cells.run(sys, spec, 3, 77);
    }
    CellResult virtual;
    try (SimSystem sys = SimSystem.start(SimSystem.Time.VIRTUAL)) {
      virtual = Cells.run(sys, spec, 10, 78);
    }
    for (Metric m : new Metric[] {Metric.RESPONSE_MEAN, Metric.RESPONSE_P90, Metric.THROUGHPUT}) {
      Estimate r = real.get(m);
      Estimate v = virtual.get(m);
      System.out.printf("%s: real %.2f +- %.2f, virtual %.2f +- %.2f%n", m.column(), r.mean(), r.halfWidth(), v.mean(), v.halfWidth());
      assertTrue(Math.abs(r.mean() - v.mean()) <= r.halfWidth() + v.halfWidth(), m + ": real " + r + " vs virtual " + v);
    }
    assertEquals(0, real.unanswered());
  }
}
