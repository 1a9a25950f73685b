package io.manifold.core.dyno;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.testing.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The process runtime's own promises: what it reports running, and nothing after it is closed. */
class ProcessRuntimeTest {
  static final Path WORK_DIR = Path.of(System.getProperty("java.io.tmpdir"));

  private static DynoSpec spec(String dyno, String command) {
    return new DynoSpec("shop", DynoName.parseOrNull(dyno), command, Map.of(), 1, WORK_DIR);
  }

  @Test
  void itReportsEachRunningDynoWithItsProcess() throws Exception {
    try (ProcessRuntime runtime = new ProcessRuntime(Duration.ofMillis(50), Duration.ofSeconds(5))) {
      DynoRuntime.Running running = runtime.launch(spec("worker.1", "exec sleep 1781"), line -> { })
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      List<ProcessRuntime.Live> live = runtime.live();
      assertEquals(1, live.size(), live.toString());
      assertEquals("shop", live.get(0).app());
      assertEquals("worker.1", live.get(0).dyno().toString());
      assertTrue(Processes.alive(live.get(0).pid()));
      assertEquals(running.port(), live.get(0).port());
      running.kill();
      running.exited().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(List.of(), runtime.live());
    }
  }

  @Test
  void aKilledRuntimeStartsNoProcessAgain() throws Exception {
    // a node that is killed kills its runtime's processes; its dynos then see them die and, a
    // first crash being restarted at once, launch again: those launches must fail, not run
    ProcessRuntime runtime = new ProcessRuntime(Duration.ofMillis(50), Duration.ofSeconds(5));
    try {
      DynoRuntime.Running running = runtime.launch(spec("worker.1", "exec sleep 1782"), line -> { })
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      runtime.killAll();
      assertEquals(137, running.exited().toCompletableFuture().get(10, TimeUnit.SECONDS));
      assertRefused(runtime);
    } finally {
      runtime.close();
    }
    assertRefused(runtime); // closed: the launcher is gone too
  }

  private static void assertRefused(ProcessRuntime runtime) {
    ExecutionException refused = assertThrows(ExecutionException.class,
        () -> runtime.launch(spec("worker.1", "exec sleep 1782"), line -> { }).toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertTrue(String.valueOf(refused.getCause().getMessage()).contains("stopped"), refused.toString());
    assertEquals(List.of(), runtime.live());
    assertEquals(List.of(), Processes.descendants().stream().filter(p -> p.contains("sleep 1782")).toList());
  }
}
