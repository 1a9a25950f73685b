package io.manifold.sim.live;

import io.manifold.core.dyno.DynoRuntime;
import io.manifold.core.dyno.DynoSpec;
import java.util.concurrent.CompletionStage;

/**
 * Runs a dyno synthetically when its Procfile command is {@value #COMMAND} (the whole command,
 * trimmed: {@code web: synthetic}), and hands every other dyno to a wrapped runtime (the process
 * runtime), so that one manifold can run synthetic and real apps side by side. The node's end
 * ({@link #killAll}, {@link #close}) reaches both.
 */
public final class RuntimeSwitch implements DynoRuntime, AutoCloseable {
  public static final String COMMAND = "synthetic";

  private final DynoRuntime synthetic;
  private final DynoRuntime other;

  /**
   * @param synthetic for {@code synthetic} commands, normally a {@link LiveSyntheticRuntime}
   * @param other for every other command, normally the {@code ProcessRuntime}
   */
  public RuntimeSwitch(DynoRuntime synthetic, DynoRuntime other) {
    this.synthetic = synthetic;
    this.other = other;
  }

  /** Whether {@code spec} is a synthetic dyno. */
  public static boolean isSynthetic(DynoSpec spec) {
    return spec.command() != null && spec.command().strip().equals(COMMAND);
  }

  @Override
  public CompletionStage<Running> launch(DynoSpec spec, Output output) {
    return (isSynthetic(spec) ? synthetic : other).launch(spec, output);
  }

  @Override
  public void killAll() {
    try {
      synthetic.killAll();
    } finally {
      other.killAll();
    }
  }

  @Override
  public void close() {
    try {
      synthetic.close();
    } finally {
      other.close();
    }
  }
}
