package io.manifold.sim.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.core.dyno.Endpoint;
import io.manifold.core.routing.HCode;
import io.manifold.sim.dist.Distribution;
import io.manifold.sim.time.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SyntheticDynoTest {
  static final long MS = 1_000_000;
  final EventLoop clock = new EventLoop(EventLoop.Pacing.VIRTUAL, "dyno-test");
  final SimNetwork network = new SimNetwork();
  final List<String> lines = new ArrayList<>();

  @AfterEach
  void stop() {
    clock.close();
  }

  /** A call that writes down what happened to it. */
  final class Probe implements Call {
    final String name;
    final long service;
    final boolean fails;
    long started = -1;
    long done = -1;
    int status;
    HCode lost;

    Probe(String name, long service, boolean fails) {
      this.name = name;
      this.service = service;
      this.fails = fails;
    }

    @Override
    public long serviceDemand() {
      return service;
    }

    @Override
    public boolean fails() {
      return fails;
    }

    @Override
    public void started(long nanos, long s) {
      started = nanos;
    }

    @Override
    public void answered(int st, long nanos) {
      status = st;
      done = nanos;
      lines.add(name + " " + st + "@" + nanos / MS);
    }

    @Override
    public void lost(HCode code, long nanos) {
      lost = code;
      done = nanos;
      lines.add(name + " " + code + "@" + nanos / MS);
    }
  }

  private SyntheticDyno dyno(ServiceModel model) {
    SyntheticDyno[] d = new SyntheticDyno[1];
    clock.post(() -> d[0] = new SyntheticDyno(clock, network, model, new Endpoint("sim", 1), new SplittableRandom(1), line -> { }));
    clock.drive(0, () -> false);
    return d[0];
  }

  private void onClock(Runnable r) {
    clock.post(r);
    clock.settle();
  }

  @Test
  void servesUpToItsConcurrencyAndQueuesTheRestInOrderUpToItsBacklog() {
    SyntheticDyno d = dyno(ServiceModel.of(new Distribution.Constant(100 * MS)).withConcurrency(2).withBacklog(2));
    List<Probe> calls = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      calls.add(new Probe("r" + i, -1, i == 2));
    }
    onClock(() -> calls.forEach(d::accept));
    assertEquals(0, calls.get(0).started);
    assertEquals(0, calls.get(1).started);
    assertEquals(-1, calls.get(2).started);
    assertEquals(HCode.H11, calls.get(4).lost);
    assertEquals(4, d.load());
    clock.drive(1000 * MS, () -> false);
    assertEquals(List.of("r5 H11@0", "r1 200@100", "r2 500@100", "r3 200@200", "r4 200@200"), lines);
    assertEquals(100 * MS, calls.get(2).started);
    assertEquals(4, d.served());
  }

  @Test
  void listensOnlyOnceBooted() throws Exception {
    SyntheticDyno d = dyno(ServiceModel.of(new Distribution.Constant(MS)).withBoot(new Distribution.Constant(2000 * MS)));
    assertNull(network.connect(d.endpoint()));
    clock.drive(1999 * MS, () -> false);
    assertFalse(d.bound().toCompletableFuture().isDone());
    clock.drive(2000 * MS, () -> false);
    assertEquals(d.endpoint(), d.bound().toCompletableFuture().get());
    assertSame(d, network.connect(d.endpoint()));
  }

  @Test
  void sigtermStopsListeningAndFinishesWhatItHasBeforeExiting143() throws Exception {
    SyntheticDyno d = dyno(ServiceModel.of(new Distribution.Constant(100 * MS)));
    Probe a = new Probe("a", -1, false);
    Probe b = new Probe("b", -1, false);
    onClock(() -> {
      d.accept(a);
      d.accept(b);
    });
    d.terminate();
    clock.settle();
    assertNull(network.connect(d.endpoint()));
    Probe late = new Probe("late", -1, false);
    onClock(() -> d.accept(late));
    assertEquals(HCode.H21, late.lost);
    CompletableFuture<Integer> exited = d.exited().toCompletableFuture();
    clock.drive(150 * MS, () -> false);
    assertFalse(exited.isDone());
    clock.drive(200 * MS, () -> false);
    assertEquals(143, exited.get());
    assertEquals(200, b.status);
  }

  @Test
  void sigkillLosesEveryRequestItHoldsAndExits137() throws Exception {
    SyntheticDyno d = dyno(ServiceModel.of(new Distribution.Constant(100 * MS)));
    Probe a = new Probe("a", -1, false);
    Probe b = new Probe("b", -1, false);
    onClock(() -> {
      d.accept(a);
      d.accept(b);
    });
    clock.drive(50 * MS, () -> false);
    d.kill();
    clock.settle();
    assertEquals(HCode.H13, a.lost);
    assertEquals(HCode.H13, b.lost);
    assertEquals(137, d.exited().toCompletableFuture().get());
    clock.drive(500 * MS, () -> false);
    assertEquals(2, lines.size(), "nothing is answered after the kill: " + lines);
  }

  @Test
  void aLeakingDynoIsKilledAtItsMemoryLimit() throws Exception {
    SyntheticDyno d = dyno(ServiceModel.of(new Distribution.Constant(MS))
        .withMemory(new ServiceModel.Memory(100 << 20, 10 << 20, 130 << 20)));
    for (int i = 0; i < 4; i++) {
      Probe p = new Probe("p" + i, -1, false);
      onClock(() -> d.accept(p));
      clock.drive((i + 1) * 10 * MS, () -> false);
    }
    assertTrue(d.exited().toCompletableFuture().isDone());
    assertEquals(137, d.exited().toCompletableFuture().get());
    assertEquals(4, d.served());
  }
}
