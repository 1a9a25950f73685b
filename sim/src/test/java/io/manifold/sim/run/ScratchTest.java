package io.manifold.sim.run;

import io.manifold.sim.dist.Distribution;
import io.manifold.sim.load.OpenLoop;
import io.manifold.sim.load.RateProfile;
import io.manifold.sim.route.FrontSettings;
import io.manifold.sim.runtime.ServiceModel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScratchTest {
  @Test
  void scratch() {
    try (SimSystem sys = SimSystem.start(SimSystem.Time.VIRTUAL)) {
      for (String policy : new String[] {"random", "round-robin", "power-of-two", "least-connections"}) {
        RunSpec spec = new RunSpec(10, ServiceModel.of(new Distribution.Exponential(50e6)), policy, 1,
            FrontSettings.HEROKU, () -> new OpenLoop(OpenLoop.Arrivals.POISSON, RateProfile.constant(140)),
            Duration.ofSeconds(100), Duration.ofSeconds(2000), 42, 0);
        for (int i = 0; i < 3; i++) {
          RunResult r = SimRun.run(sys, spec.withSeed(42 + i), "run-" + policy + i);
          System.out.printf("%s sent=%d unanswered=%d mean=%.1fms p99=%.1fms queued=%.3f tput=%.1f wall=%.0fms rate=%.0f/s outcomes=%s%n",
              policy, r.sent(), r.unanswered(), r.metrics().response().mean() / 1e6, r.metrics().response().p99() / 1e6,
              r.metrics().queuedShare(), r.metrics().throughput(), r.wallNanos() / 1e6, r.requestsPerWallSecond(), r.metrics().outcomes());
        }
      }
    }
  }
}
