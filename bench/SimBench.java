import io.manifold.sim.dist.Distribution;
import io.manifold.sim.load.OpenLoop;
import io.manifold.sim.load.RateProfile;
import io.manifold.sim.route.FrontSettings;
import io.manifold.sim.run.RunResult;
import io.manifold.sim.run.RunSpec;
import io.manifold.sim.run.SimRun;
import io.manifold.sim.run.SimSystem;
import io.manifold.sim.runtime.ServiceModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Simulated requests per wall-clock second in virtual time, through the core Dyno and Router
 * actors, the core routing table and policies and the simulated front. Poisson arrivals,
 * exponential 50 ms service, single-threaded dynos at rho = 0.7, one router.
 *
 * <p>Usage (from the repository root): {@code bench/sim-throughput.sh [POLICY ...]}. Each case runs
 * a warm-up run (for the JIT), then 3 measured runs of about 5 million requests; the figure is the
 * median of the 3. The machine is shared: compare figures from one invocation only.
 */
public class SimBench {
  public static void main(String[] args) {
    List<String> policies = args.length == 0 ? List.of("random", "round-robin", "power-of-two", "least-connections") : List.of(args);
    int[] dynoCounts = Integer.getInteger("dynos") == null ? new int[] {10, 1000} : new int[] {Integer.getInteger("dynos")};
    System.out.printf("%-18s %6s %12s %14s %10s%n", "policy", "dynos", "requests", "req/wall-s", "wall");
    try (SimSystem sys = SimSystem.start(SimSystem.Time.VIRTUAL)) {
      int n = 0;
      for (String policy : policies) {
        for (int dynos : dynoCounts) {
          double lambda = 0.7 * dynos / 0.050;
          // about 5 million requests per measured run
          Duration duration = Duration.ofMillis(Math.round(5_000_000 / lambda * 1000));
          RunSpec spec = new RunSpec(dynos, ServiceModel.of(new Distribution.Exponential(50e6)), policy, 1, FrontSettings.HEROKU,
              () -> new OpenLoop(OpenLoop.Arrivals.POISSON, RateProfile.constant(lambda)),
              Duration.ZERO, duration, 1, 0);
          SimRun.run(sys, spec.withSeed(0), "warm" + n++);
          List<RunResult> runs = new ArrayList<>();
          for (int i = 1; i <= 3; i++) {
            runs.add(SimRun.run(sys, spec.withSeed(i), "bench" + n++));
          }
          runs.sort((a, b) -> Double.compare(a.requestsPerWallSecond(), b.requestsPerWallSecond()));
          RunResult median = runs.get(1);
          System.out.printf("%-18s %6d %12d %,14.0f %8.2f s%n", policy, dynos, median.sent(),
              median.requestsPerWallSecond(), median.wallNanos() / 1e9);
        }
      }
    }
  }
}
