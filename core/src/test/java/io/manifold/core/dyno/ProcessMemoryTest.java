package io.manifold.core.dyno;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The process runtime reports a dyno's resident memory, which the Dyno holds against its quota. */
class ProcessMemoryTest {

  @Test
  void aDynosMemoryIsTheResidentMemoryOfItsProcesses() throws InterruptedException {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "Linux's /proc");
    ProcessRuntime runtime = new ProcessRuntime(Duration.ofMillis(50), Duration.ofSeconds(5));
    try {
      DynoSpec spec = new DynoSpec("shop", new DynoName("worker", 1), "sleep 31 & exec sleep 32", Map.of(), 1,
          Path.of(System.getProperty("java.io.tmpdir")));
      DynoRuntime.Running r = runtime.launch(spec, line -> { }).toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      OptionalLong m = r.memoryBytes();
      while (m.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
        m = r.memoryBytes();
      }
      assertTrue(m.isPresent() && m.getAsLong() > 0 && m.getAsLong() < 1L << 30, "a sleep's RSS: " + m);
      r.kill();
      r.exited().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
    } finally {
      runtime.close();
    }
  }
}
