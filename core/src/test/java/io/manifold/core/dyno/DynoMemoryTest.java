package io.manifold.core.dyno;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.manifold.testing.LogProbe;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dyno manager's memory check (R14, R15) against a runtime whose memory the test sets, on the
 * testkit's manual clock.
 */
@ExtendWith(LogCapturingExtension.class)
class DynoMemoryTest {
  static final ActorTestKit kit = ActorTestKit.create(ManualTime.config().withFallback(ConfigFactory.load()));
  static final ManualTime time = ManualTime.get(kit.system());
  static final DynoSettings settings = new DynoSettings(
      Duration.ofSeconds(60), Duration.ofSeconds(30), RestartBackoff.HEROKU, Clock.systemUTC());
  static final long MB = 1024 * 1024;

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /** A process that runs until signalled, with the memory the test gives it. */
  static final class FakeProcess implements DynoRuntime.Running {
    final CompletableFuture<Integer> exited = new CompletableFuture<>();
    volatile OptionalLong memory = OptionalLong.empty();

    @Override
    public CompletionStage<Endpoint> bound() {
      return new CompletableFuture<>();
    }

    @Override
    public CompletionStage<Integer> exited() {
      return exited;
    }

    @Override
    public void terminate() {
      exited.complete(143);
    }

    @Override
    public void kill() {
      exited.complete(137);
    }

    @Override
    public int port() {
      return 0;
    }

    @Override
    public OptionalLong memoryBytes() {
      return memory;
    }
  }

  static final class FakeRuntime implements DynoRuntime {
    final List<FakeProcess> launched = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<Running> launch(DynoSpec spec, Output output) {
      FakeProcess p = new FakeProcess();
      launched.add(p);
      return CompletableFuture.completedFuture(p);
    }

    FakeProcess awaitLaunch(int n) {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (launched.size() < n && System.nanoTime() < deadline) {
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      assertTrue(launched.size() >= n, "launch " + n + " did not happen");
      return launched.get(n - 1);
    }
  }

  private final LogProbe logs = new LogProbe(kit);
  private final TestProbe<DynoStatus> statuses = kit.createTestProbe();

  private ActorRef<Dyno.Command> start(FakeRuntime runtime, int quotaMb) {
    DynoSpec spec = new DynoSpec("shop", new DynoName("worker", 1), "leaky", Map.of(), 1, Path.of("."), quotaMb);
    return kit.spawn(Dyno.create(spec, runtime, settings, logs.ref(), statuses.getRef()));
  }

  @Test
  void aDynoOverItsQuotaGetsR14EveryCheckAndKeepsRunning() {
    FakeRuntime runtime = new FakeRuntime();
    start(runtime, 512);
    logs.await("heroku[worker.1]: State changed from starting to up");
    FakeProcess p = runtime.awaitLaunch(1);
    p.memory = OptionalLong.of(500 * MB);
    time.timePasses(Duration.ofSeconds(20));
    logs.collectFor(Duration.ofMillis(200));
    assertTrue(logs.lines().stream().noneMatch(l -> l.contains("mem=")), "under the quota, nothing: " + logs.dump());

    p.memory = OptionalLong.of(529 * MB);
    time.timePasses(Duration.ofSeconds(19));
    logs.collectFor(Duration.ofMillis(200));
    assertTrue(logs.lines().stream().noneMatch(l -> l.contains("mem=")), "not before the next check: " + logs.dump());
    time.timePasses(Duration.ofSeconds(1));
    logs.await("heroku[worker.1]: Process running mem=529MB(103.3%)");
    logs.await("heroku[worker.1]: Error R14 (Memory quota exceeded)");
    time.timePasses(Duration.ofSeconds(20));
    logs.await("heroku[worker.1]: Process running mem=529MB(103.3%)");
    logs.await("heroku[worker.1]: Error R14 (Memory quota exceeded)");
    assertEquals(1, runtime.launched.size());
    assertTrue(!p.exited.isDone(), "R14 does not stop the dyno");
  }

  @Test
  void aDynoPastTwiceItsQuotaGetsR15IsKilledAndRestarted() {
    FakeRuntime runtime = new FakeRuntime();
    start(runtime, 1024);
    logs.await("heroku[worker.1]: State changed from starting to up");
    runtime.awaitLaunch(1).memory = OptionalLong.of(2100 * MB);
    time.timePasses(Duration.ofSeconds(20));
    logs.await("heroku[worker.1]: Process running mem=2100MB(205.1%)");
    logs.await("heroku[worker.1]: Error R15 (Memory quota vastly exceeded)");
    logs.await("heroku[worker.1]: Stopping process with SIGKILL");
    logs.await("heroku[worker.1]: Process exited with status 137");
    logs.await("heroku[worker.1]: State changed from up to crashed");
    logs.await("heroku[worker.1]: State changed from crashed to starting");
    logs.await("heroku[worker.1]: State changed from starting to up");
    runtime.awaitLaunch(2);
  }

  @Test
  void aRuntimeThatCannotMeasureMemoryIsNeverChecked() {
    FakeRuntime runtime = new FakeRuntime();
    start(runtime, 512);
    logs.await("heroku[worker.1]: State changed from starting to up");
    time.timePasses(Duration.ofMinutes(2));
    logs.collectFor(Duration.ofMillis(200));
    assertTrue(logs.lines().stream().noneMatch(l -> l.contains("mem=") || l.contains("R1")), logs.dump());
  }
}
