package io.manifold.sim.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.core.dyno.DynoName;
import io.manifold.core.dyno.DynoRuntime;
import io.manifold.core.dyno.DynoSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@code synthetic} commands run synthetically, every other command as before; the node's end reaches both. */
class RuntimeSwitchTest {

  /** Records what reaches it. */
  static final class Recording implements DynoRuntime {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<Running> launch(DynoSpec spec, Output output) {
      calls.add("launch " + spec.command());
      return new CompletableFuture<>();
    }

    @Override
    public void killAll() {
      calls.add("killAll");
    }

    @Override
    public void close() {
      calls.add("close");
    }
  }

  private static DynoSpec spec(String command) {
    return new DynoSpec("shop", new DynoName("web", 1), command, Map.of(), 1, Path.of("."));
  }

  @Test
  void theWholeTrimmedCommandSyntheticGoesToTheSyntheticRuntimeAndAnythingElseToTheOther() {
    Recording synthetic = new Recording();
    Recording processes = new Recording();
    RuntimeSwitch runtime = new RuntimeSwitch(synthetic, processes);
    runtime.launch(spec("synthetic"), line -> { });
    runtime.launch(spec("  synthetic \t"), line -> { });
    runtime.launch(spec("synthetic --fast"), line -> { });
    runtime.launch(spec("java Web.java"), line -> { });
    runtime.launch(spec("Synthetic"), line -> { });
    assertEquals(List.of("launch synthetic", "launch   synthetic \t"), synthetic.calls);
    assertEquals(List.of("launch synthetic --fast", "launch java Web.java", "launch Synthetic"), processes.calls);
    assertTrue(RuntimeSwitch.isSynthetic(spec(" synthetic")));
    assertFalse(RuntimeSwitch.isSynthetic(spec("./synthetic")));

    runtime.killAll();
    runtime.close();
    assertEquals(List.of("killAll", "close"), synthetic.calls.subList(2, 4));
    assertEquals(List.of("killAll", "close"), processes.calls.subList(3, 5));
  }

  @Test
  void aSyntheticDynoLaunchedThroughTheSwitchIsALiveSyntheticDyno() {
    Recording processes = new Recording();
    try (LiveSyntheticRuntime live = new LiveSyntheticRuntime(); RuntimeSwitch runtime = new RuntimeSwitch(live, processes)) {
      DynoRuntime.Running r = runtime.launch(spec("synthetic"), line -> { }).toCompletableFuture().join();
      assertEquals(LiveDyno.class, r.getClass());
      r.bound().toCompletableFuture().join();
      assertEquals(1, live.running());
      assertTrue(processes.calls.isEmpty());
    }
  }
}
