package io.manifold.core.dyno;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a dyno runs: the app, its name, the command from the Procfile, the environment (the app's
 * config vars plus {@code DYNO}; the runtime adds {@code PORT}), the release it belongs to and the
 * memory quota of its size.
 *
 * @param workDir the app's directory, where the command runs
 * @param memoryQuotaMb the memory of the dyno's size (Basic: 512 MB), against which R14 and R15
 *     are reckoned
 */
public record DynoSpec(
    String app, DynoName name, String command, Map<String, String> env, int release, Path workDir, int memoryQuotaMb) {
  /** Heroku's default size (Basic, Standard-1X) has 512 MB. */
  public static final int DEFAULT_MEMORY_QUOTA_MB = 512;

  public DynoSpec {
    env = Map.copyOf(env);
    if (memoryQuotaMb < 1) {
      throw new IllegalArgumentException("a dyno's memory quota must be at least 1 MB, not " + memoryQuotaMb);
    }
  }

  /** A dyno of the default size. */
  public DynoSpec(String app, DynoName name, String command, Map<String, String> env, int release, Path workDir) {
    this(app, name, command, env, release, workDir, DEFAULT_MEMORY_QUOTA_MB);
  }

  /** The same dyno for another release, as a config change or a rollback makes it. */
  public DynoSpec forRelease(int newRelease, Map<String, String> newEnv) {
    return new DynoSpec(app, name, command, newEnv, newRelease, workDir, memoryQuotaMb);
  }

  /** The same dyno at another size, as {@code ps:resize} makes it. */
  public DynoSpec withMemoryQuotaMb(int mb) {
    return new DynoSpec(app, name, command, env, release, workDir, mb);
  }
}
