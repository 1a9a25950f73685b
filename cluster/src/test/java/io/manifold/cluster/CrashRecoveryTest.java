package io.manifold.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.core.InputException;
import io.manifold.core.app.App;
import io.manifold.core.app.AppHandle;
import io.manifold.core.app.AppView;
import io.manifold.testing.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifold killed with {@code kill -9} while it acknowledges a stream of changes loses none it
 * acknowledged; and a second manifold on the same database, in another process, is told the
 * database is in use.
 */
class CrashRecoveryTest {
  @TempDir
  Path dir;

  record Child(Process process, List<String> lines) {}

  private static Child start(Path data, int count, String database) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), data.toString(),
            Integer.toString(count), database)
        .redirectErrorStream(true).start();
    List<String> lines = Processes.output(p, "crash-child");
    return new Child(p, lines);
  }

  private static void await(Child c, String line, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!c.lines().contains(line) && c.process().isAlive() && System.nanoTime() < deadline) {
      Processes.sleep(20);
    }
    assertTrue(c.lines().contains(line), "the child never printed " + line + ": " + c.lines());
  }

  private static void kill9(Child c) throws Exception {
    new ProcessBuilder("kill", "-9", Long.toString(c.process().pid())).start().waitFor(5, TimeUnit.SECONDS);
    assertTrue(c.process().waitFor(10, TimeUnit.SECONDS));
    assertEquals(137, c.process().exitValue());
    Processes.sleep(200); // the reader drains what the pipe still holds
  }

  @Test
  void everyAcknowledgedChangeSurvivesAKillDashNine() throws Exception {
    crashScenario(dir.resolve("data"), "");
  }

  /** A child acknowledges changes; it is killed with kill -9; every acknowledged change is there after. */
  static void crashScenario(Path data, String database) throws Exception {
    Child child = start(data, 1_000, database);
    await(child, "ACK 150", Duration.ofSeconds(90));
    kill9(child);
    List<Integer> acked = new ArrayList<>();
    child.lines().stream().filter(l -> l.startsWith("ACK ")).forEach(l -> acked.add(Integer.parseInt(l.substring(4))));
    assertTrue(acked.size() >= 150, "acknowledged: " + acked.size());

    try (LocalManifold m = LocalManifold.start(DurableControlPlaneTest.config(data, database))) {
      AppHandle app = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (app == null && System.nanoTime() < deadline) {
        app = m.app("crashy");
        Processes.sleep(50);
      }
      assertTrue(app != null, "the app is there after the crash");
      AppView v = AskPattern.<App.Command, AppView>ask(app.app(), App.GetView::new, Duration.ofSeconds(30), m.system().scheduler())
          .toCompletableFuture().join();
      Map<String, String> config = v.state().config();
      List<Integer> lost = acked.stream().filter(i -> !Integer.toString(i).equals(config.get("K" + i))).toList();
      assertTrue(lost.isEmpty(), "acknowledged but lost: " + lost);
      int last = acked.get(acked.size() - 1);
      assertTrue(config.size() <= last + 1, "at most the one change in flight was stored unacknowledged: " + config.size() + " vs " + last);
      System.out.println("[RESULT] " + m.database() + ": kill -9 after " + acked.size() + " acknowledged changes: 0 lost, "
          + (config.size() - acked.size()) + " stored but not acknowledged");
    }
  }

  @Test
  void aSecondManifoldOnADatabaseInUseIsToldSo() throws Exception {
    Path data = dir.resolve("data");
    Child child = start(data, 0, "");
    try {
      await(child, "READY", Duration.ofSeconds(90));
      InputException e = assertThrows(InputException.class, () -> LocalManifold.start(DurableControlPlaneTest.config(data)));
      assertTrue(e.getMessage().contains("in use by another Manifold"), e.getMessage());
    } finally {
      child.process().destroyForcibly();
      child.process().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
