package io.manifold.core.dyno;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a dyno runs: the app, its name, the command from the Procfile, the environment (the app's
 * config vars plus {@code DYNO}; the runtime adds {@code PORT}) and the release it belongs to.
 *
 * @param workDir the app's directory, where the command runs
 */
public record DynoSpec(
    String app, DynoName name, String command, Map<String, String> env, int release, Path workDir) {
  public DynoSpec {
    env = Map.copyOf(env);
  }

  /** The same dyno for another release, as a config change or a rollback makes it. */
  public DynoSpec forRelease(int newRelease, Map<String, String> newEnv) {
    return new DynoSpec(app, name, command, newEnv, newRelease, workDir);
  }
}
