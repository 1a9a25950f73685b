package io.manifold.core.dyno;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A node's process runtime in a JVM of its own, for {@link WatchdogTest}: starts one dyno whose
 * shell has a child and a grandchild, prints what the dyno prints (their pids) and the watcher's
 * pid, then waits, bounded, to be killed.
 */
public final class WatchdogChild {
  private WatchdogChild() {}

  public static void main(String[] args) throws Exception {
    ProcessRuntime runtime = new ProcessRuntime(Duration.ofMillis(50), Duration.ofSeconds(5));
    String command = "echo \"shell $$\"; sleep 621 & echo \"child $!\"; sh -c 'echo \"grandchild $$\"; exec sleep 622' & wait";
    DynoSpec spec = new DynoSpec("shop", DynoName.parseOrNull("worker.1"), command, Map.of(), 1, Path.of(System.getProperty("java.io.tmpdir")));
    runtime.launch(spec, line -> {
      System.out.println(line);
      System.out.flush();
    }).toCompletableFuture().join();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      var watcher = ProcessHandle.current().children()
          .filter(p -> p.info().commandLine().orElse("").contains("manifold-watchdog")).findFirst();
      if (watcher.isPresent()) {
        System.out.println("watcher " + watcher.get().pid());
        System.out.flush();
        break;
      }
      Thread.sleep(20);
    }
    Thread.sleep(Duration.ofMinutes(5).toMillis());
    runtime.close();
  }
}
