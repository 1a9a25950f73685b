package io.manifold.sim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.sim.dist.Distribution;
import io.manifold.sim.load.ClosedLoop;
import io.manifold.sim.load.OpenLoop;
import io.manifold.sim.load.RateProfile;
import io.manifold.sim.record.RunMetrics;
import io.manifold.sim.route.FrontSettings;
import io.manifold.sim.runtime.ServiceModel;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** In virtual time a seed fixes everything: two runs give the same numbers, bit for bit. */
class DeterminismTest {

  private static RunSpec spec(String policy, int routers) {
    ServiceModel service = new ServiceModel(Distribution.parse("weibull(shape=0.46, median=50ms)", null), 2, 256,
        Distribution.parse("uniform(min=1s, max=3s)", null), 0.01, null);
    return new RunSpec(20, service, policy, routers, FrontSettings.HEROKU,
        () -> new OpenLoop(OpenLoop.Arrivals.POISSON, RateProfile.constant(100)),
        Duration.ofSeconds(10), Duration.ofSeconds(60), 99, 5000);
  }

  /** Everything a run measured, as bytes: metrics, both histograms and the trace. */
  private static String fingerprint(RunResult r) {
    RunMetrics m = r.metrics();
    ByteBuffer response = ByteBuffer.allocate(m.responseHistogram().getNeededByteBufferCapacity());
    m.responseHistogram().encodeIntoByteBuffer(response);
    ByteBuffer queue = ByteBuffer.allocate(m.queueHistogram().getNeededByteBufferCapacity());
    m.queueHistogram().encodeIntoByteBuffer(queue);
    return r.sent() + "|" + m.requests() + "|" + m.errors() + "|" + Double.doubleToRawLongBits(m.throughput())
        + "|" + m.response() + "|" + m.queue() + "|" + m.outcomes() + "|" + m.trace()
        + "|" + java.util.Arrays.toString(java.util.Arrays.copyOf(response.array(), response.position()))
        + "|" + java.util.Arrays.toString(java.util.Arrays.copyOf(queue.array(), queue.position()));
  }

  private static List<String> runAll() {
    try (SimSystem sys = SimSystem.start(SimSystem.Time.VIRTUAL)) {
      return List.of(
          fingerprint(SimRun.run(sys, spec("power-of-two", 3), "a")),
          fingerprint(SimRun.run(sys, spec("least-connections", 1), "b")),
          fingerprint(SimRun.run(sys, spec("random", 1).withSeed(99), "c")));
    }
  }

  @Test
  void twoSystemsWithOneSeedGiveIdenticalResults() {
    List<String> first = runAll();
    List<String> second = runAll();
    assertEquals(first, second);
    assertTrue(first.get(0).length() > 1000, "the trace is part of what is compared");
  }

  @Test
  void aRunDoesNotDependOnTheRunsBeforeItInTheSameSystem() {
    try (SimSystem sys = SimSystem.start(SimSystem.Time.VIRTUAL)) {
      String alone = fingerprint(SimRun.run(sys, spec("random", 2), "alone"));
      SimRun.run(sys, spec("least-connections", 4).withSeed(5), "other");
      String after = fingerprint(SimRun.run(sys, spec("random", 2), "after"));
      assertEquals(alone, after);
    }
  }

  @Test
  void anotherSeedGivesOtherResults() {
    try (SimSystem sys = SimSystem.start(SimSystem.Time.VIRTUAL)) {
      assertNotEquals(fingerprint(SimRun.run(sys, spec("random", 1), "x")),
          fingerprint(SimRun.run(sys, spec("random", 1).withSeed(100), "y")));
    }
  }

  @Test
  void closedLoopRunsAreDeterministicToo() {
    RunSpec closed = new RunSpec(5, ServiceModel.of(new Distribution.Exponential(20e6)), "round-robin", 2,
        FrontSettings.HEROKU, () -> new ClosedLoop(30, new Distribution.Exponential(200e6)),
        Duration.ofSeconds(5), Duration.ofSeconds(30), 3, 1000);
    try (SimSystem a = SimSystem.start(SimSystem.Time.VIRTUAL); SimSystem b = SimSystem.start(SimSystem.Time.VIRTUAL)) {
      assertEquals(fingerprint(SimRun.run(a, closed, "c")), fingerprint(SimRun.run(b, closed, "c")));
    }
  }
}
