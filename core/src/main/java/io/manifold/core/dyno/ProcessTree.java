package io.manifold.core.dyno;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a process of a dyno's tree is gone. A process that has exited but is not yet reaped (a
 * zombie) runs nothing and holds nothing, so it counts as gone: once a dyno's shell has died, its
 * orphaned children are reaped by whatever init the machine has, which in a container can take
 * seconds, and {@link ProcessHandle#isAlive()} reports them alive until then.
 */
final class ProcessTree {
  private ProcessTree() {}

  static boolean gone(ProcessHandle process) {
    return !process.isAlive() || zombie(process.pid());
  }

  /** Linux's {@code /proc/<pid>/stat}: the state follows the command name in parentheses. */
  private static boolean zombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
      int end = stat.lastIndexOf(')');
      return end >= 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
    } catch (IOException | RuntimeException noProcFs) {
      return false; // not Linux, or the process went between the two checks: isAlive() decides
    }
  }
}
