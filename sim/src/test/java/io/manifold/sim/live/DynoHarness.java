package io.manifold.sim.live;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.ConfigFactory;
import io.manifold.core.dyno.Dyno;
import io.manifold.core.dyno.DynoName;
import io.manifold.core.dyno.DynoSettings;
import io.manifold.core.dyno.DynoSpec;
import io.manifold.core.dyno.DynoState;
import io.manifold.core.dyno.DynoStatus;
import io.manifold.core.dyno.RestartBackoff;
import io.manifold.testing.LogProbe;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The real {@code Dyno} behavior over a {@link LiveSyntheticRuntime}, with the dyno manager's
 * time-outs (boot, grace, cool-off, memory check) on the testkit's manual clock and the dynos'
 * own times (boot, service) real.
 */
final class DynoHarness implements AutoCloseable {
  static final Duration WITHIN = Duration.ofSeconds(20);

  final ActorTestKit kit = ActorTestKit.create(ManualTime.config().withFallback(ConfigFactory.load()));
  final ManualTime time = ManualTime.get(kit.system());
  final SyntheticFaults faults = new SyntheticFaults();
  final LiveSyntheticRuntime runtime = new LiveSyntheticRuntime("127.0.0.1", faults);
  final DynoSettings settings = new DynoSettings(
      Duration.ofSeconds(60), Duration.ofSeconds(30), RestartBackoff.HEROKU, Clock.systemUTC(), Duration.ofSeconds(20));
  final RawHttp http = new RawHttp();

  /** One dyno under test, its log and its statuses. */
  final class Run {
    final DynoSpec spec;
    final ActorRef<Dyno.Command> dyno;
    final LogProbe logs = new LogProbe(kit);
    final TestProbe<DynoStatus> statuses = kit.createTestProbe();

    Run(DynoSpec spec) {
      this.spec = spec;
      this.dyno = kit.spawn(Dyno.create(spec, runtime, settings, logs.ref(), statuses.getRef()));
    }

    /** Waits (bounded) for a status that matches; returns it. */
    DynoStatus awaitStatus(Predicate<DynoStatus> p) {
      long deadline = System.nanoTime() + WITHIN.toNanos();
      while (System.nanoTime() < deadline) {
        try {
          DynoStatus s = statuses.receiveMessage(Duration.ofMillis(200));
          if (p.test(s)) {
            return s;
          }
        } catch (AssertionError noneYet) {
          // ask again
        }
      }
      return fail("no such status within " + WITHIN + "; log:\n" + logs.dump());
    }

    /** Waits for the web dyno to be up and returns its port. */
    int awaitUp() {
      return awaitStatus(s -> s.state() == DynoState.UP && s.endpoint() != null).endpoint().port();
    }

    /** Stops the dyno and waits for its {@code Stopped}. */
    void stop() {
      TestProbe<Dyno.Stopped> stopped = kit.createTestProbe();
      dyno.tell(new Dyno.Stop(stopped.getRef()));
      stopped.receiveMessage(Duration.ofSeconds(30));
    }

    SyntheticDynoView view() {
      return runtime.dyno(spec.app(), spec.name().toString()).orElseThrow(() -> new AssertionError(spec.name() + " does not run"));
    }

    /** Waits (bounded) until the dyno's view matches. */
    SyntheticDynoView awaitView(Predicate<SyntheticDynoView> p) {
      long deadline = System.nanoTime() + WITHIN.toNanos();
      SyntheticDynoView last = null;
      while (System.nanoTime() < deadline) {
        last = runtime.dyno(spec.app(), spec.name().toString()).orElse(null);
        if (last != null && p.test(last)) {
          return last;
        }
        sleep(10);
      }
      return fail("the dyno never got there; last: " + last + "\nlog:\n" + logs.dump());
    }
  }

  Run start(String app, String dyno, Map<String, String> env) {
    return start(new DynoSpec(app, DynoName.parseOrNull(dyno), "synthetic", env, 1, Path.of("."), 512));
  }

  Run start(DynoSpec spec) {
    return new Run(spec);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Waits (bounded) for a condition that other threads make true. */
  static void await(String what, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "never: " + what);
      sleep(10);
    }
  }

  @Override
  public void close() {
    faults.healAll();
    kit.shutdownTestKit();
    runtime.close();
    http.close();
  }
}
