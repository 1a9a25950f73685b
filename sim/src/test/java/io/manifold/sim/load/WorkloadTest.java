package io.manifold.sim.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.sim.dist.Distribution;
import io.manifold.sim.random.RandomStreams;
import io.manifold.sim.route.Request;
import io.manifold.sim.time.EventLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadTest {
  static final long S = 1_000_000_000L;
  final EventLoop clock = new EventLoop(EventLoop.Pacing.VIRTUAL, "load-test");
  final List<Request> sent = new ArrayList<>();

  @AfterEach
  void stop() {
    clock.close();
  }

  private RequestFactory factory() {
    return new RequestFactory(clock, new Distribution.Constant(1_000_000), 0, new SplittableRandom(1), new SplittableRandom(2));
  }

  private void play(Workload w, long seconds) {
    LoadContext ctx = new LoadContext(clock, sent::add, factory(), new RandomStreams(7), S, S + seconds * S);
    clock.post(() -> w.start(ctx));
    clock.drive(S + seconds * S + 10 * S, () -> false);
  }

  private long countBetween(long fromS, long toS) {
    return sent.stream().filter(r -> r.arrival() >= S + fromS * S && r.arrival() < S + toS * S).count();
  }

  @Test
  void poissonArrivalsComeAtTheirRateWithExponentialGaps() {
    play(new OpenLoop(OpenLoop.Arrivals.POISSON, RateProfile.constant(200)), 500);
    // 100,000 expected; the standard deviation of a Poisson count is its square root, ~316
    assertEquals(100_000, sent.size(), 1500);
    // exponential gaps: their coefficient of variation is 1
    double[] gaps = new double[sent.size() - 1];
    for (int i = 1; i < sent.size(); i++) {
      gaps[i - 1] = sent.get(i).arrival() - sent.get(i - 1).arrival();
    }
    double mean = java.util.Arrays.stream(gaps).average().orElseThrow();
    double sd = Math.sqrt(java.util.Arrays.stream(gaps).map(g -> (g - mean) * (g - mean)).average().orElseThrow());
    assertEquals(1.0, sd / mean, 0.02);
    assertTrue(sent.stream().allMatch(r -> r.arrival() >= S && r.arrival() < 501 * S));
  }

  @Test
  void constantArrivalsAreEvenlySpaced() {
    play(new OpenLoop(OpenLoop.Arrivals.CONSTANT, RateProfile.constant(4)), 10);
    assertEquals(39, sent.size()); // at 0.25 s, 0.5 s ... 9.75 s
    assertEquals(S + S / 4, sent.get(0).arrival());
    assertEquals(S / 4, sent.get(1).arrival() - sent.get(0).arrival());
  }

  @Test
  void stepsAndRampsChangeTheRate() {
    RateProfile profile = new RateProfile(List.of(
        new RateProfile.Segment(100 * S, 100, 100),
        new RateProfile.Segment(100 * S, 100, 300),
        new RateProfile.Segment(100 * S, 0, 0),
        new RateProfile.Segment(100 * S, 50, 50)));
    play(new OpenLoop(OpenLoop.Arrivals.POISSON, profile), 500);
    assertEquals(10_000, countBetween(0, 100), 400);
    assertEquals(20_000, countBetween(100, 200), 600); // mean of the ramp: 200/s
    assertEquals(12_500, countBetween(150, 200), 500); // its second half: 250/s
    assertEquals(0, countBetween(200, 300));
    assertEquals(10_000, countBetween(300, 500), 400); // the last rate goes on
  }

  @Test
  void closedLoopUsersWaitForAnAnswerBeforeTheNextRequest() {
    ClosedLoop users = new ClosedLoop(5, new Distribution.Constant(S));
    List<Request> open = new ArrayList<>();
    int[] most = new int[1];
    LoadContext ctx = new LoadContext(clock, r -> {
      open.add(r);
      most[0] = Math.max(most[0], open.size());
      // answered 0.5 s later, by hand (no router here)
      clock.after(S / 2, () -> {
        open.remove(r);
        users.answered(r);
      });
    }, factory(), new RandomStreams(7), 0, 20 * S);
    clock.post(() -> users.start(ctx));
    clock.drive(30 * S, () -> false);
    assertEquals(5, most[0]);
    // each user: 1 s thinking, 0.5 s waiting: 13 or 14 requests in 20 s
    assertTrue(open.isEmpty());
  }

  @Test
  void aTraceIsReplayedAtItsTimesWithItsServiceTimes(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("t.csv"), "arrival_ms,router,service_ms\n0,0,5\n1.5,0,\n2000,0,7\n");
    TraceReplay trace = TraceReplay.read(dir.resolve("t.csv"), "t.csv");
    play(trace, 1);
    assertEquals(2, sent.size(), "the third is past the end");
    assertEquals(S, sent.get(0).arrival());
    assertEquals(S + 1_500_000, sent.get(1).arrival());
  }

  @Test
  void aBadTraceNamesItsLine(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.csv"), "at_ms\n5\n3\n");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TraceReplay.read(dir.resolve("a.csv"), "a.csv"))
        .getMessage().startsWith("a.csv:3: arrivals must be in order"));
    Files.writeString(dir.resolve("b.csv"), "when\n5\n");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TraceReplay.read(dir.resolve("b.csv"), "b.csv"))
        .getMessage().startsWith("b.csv:1: expected a column at_ms"));
    Files.writeString(dir.resolve("c.csv"), "at_ms,service_ms\n5,soon\n");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TraceReplay.read(dir.resolve("c.csv"), "c.csv"))
        .getMessage().startsWith("c.csv:2: expected service_ms"));
  }
}
