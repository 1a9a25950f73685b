package io.manifold.sim.validation;

import io.manifold.sim.dist.Distribution;
import io.manifold.sim.load.OpenLoop;
import io.manifold.sim.load.RateProfile;
import io.manifold.sim.route.FrontSettings;
import io.manifold.sim.run.Cell;
import io.manifold.sim.run.CellResult;
import io.manifold.sim.run.Experiment;
import io.manifold.sim.run.RunSpec;
import io.manifold.sim.run.SimSystem;
import io.manifold.sim.runtime.ServiceModel;
import io.manifold.sim.stats.Estimate;
import io.manifold.sim.stats.Metric;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Builds the validation studies' cells: N single-threaded dynos, Poisson arrivals, exponential service. */
final class Cells {
  static final double MEAN_SERVICE_SECONDS = 0.050;
  static final double MU = 1 / MEAN_SERVICE_SECONDS;

  private Cells() {}

  static RunSpec poissonExponential(int dynos, double rho, String policy, FrontSettings.Queue queue, Duration warmup, Duration duration) {
    double lambda = rho * dynos * MU;
    return new RunSpec(dynos, ServiceModel.of(new Distribution.Exponential(MEAN_SERVICE_SECONDS * 1e9)), policy, 1,
        FrontSettings.HEROKU.withQueue(queue, 1),
        () -> new OpenLoop(OpenLoop.Arrivals.POISSON, RateProfile.constant(lambda)),
        warmup, duration, 0, 0);
  }

  /**
   * The interval a validation asserts: 99%, so that the suite's dozen fixed-seed checks against
   * theory are not expected to fail by chance (about 1 in 9 at 99%, against 1 in 2 at 95%). The
   * 95% intervals are printed, and listed in the README.
   */
  static Estimate asserted(CellResult cell, Metric metric) {
    return Estimate.of(cell.runs().stream().mapToDouble(r -> metric.of(r.metrics())).toArray(), 0.99);
  }

  /** A seed per load, so that the checks at different loads are independent of each other. */
  static long seed(long base, double rho) {
    return base * 100 + Math.round(rho * 10);
  }

  static CellResult run(SimSystem sys, RunSpec spec, int replications, long seed) {
    return Experiment.run(sys, List.of(new Cell(0, Map.of(), spec)), replications, seed, new Experiment.Progress() {}).get(0);
  }
}
