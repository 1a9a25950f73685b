package io.manifold.core.dyno;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Whether a process of a dyno's tree is gone. A process that has exited but is not yet reaped (a
 * zombie) runs nothing and holds nothing, so it counts as gone: once a dyno's shell has died, its
 * orphaned children are reaped by whatever init the machine has, which in a container can take
 * seconds, and {@link ProcessHandle#isAlive()} reports them alive until then.
 */
final class ProcessTree {
  /** Whether this kernel lists each task's children ({@code /proc/<pid>/task/<tid>/children}). */
  private static final boolean CHILDREN_LISTS = childrenLists();

  private ProcessTree() {}

  /**
   * Every descendant of {@code root} now, to {@code found}. From Linux's lists of each task's
   * children: a few small reads per process of the tree. {@link ProcessHandle#descendants()}
   * reads the parent of every process on the machine instead, and a dyno's tree is refreshed ten
   * times a second: on a machine of a hundred processes that was most of an idle node's CPU. Where
   * there are no such lists, {@link ProcessHandle#descendants()} it is.
   */
  static void descendants(ProcessHandle root, Consumer<ProcessHandle> found) {
    if (!CHILDREN_LISTS) {
      root.descendants().forEach(found);
      return;
    }
    ArrayDeque<Long> todo = new ArrayDeque<>();
    todo.add(root.pid());
    for (int visited = 0; !todo.isEmpty() && visited < 10_000; visited++) {
      long pid = todo.poll();
      try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
        for (Path task : tasks) {
          for (String child : Files.readString(task.resolve("children"), StandardCharsets.US_ASCII).trim().split(" ")) {
            if (!child.isEmpty()) {
              long c = Long.parseLong(child);
              ProcessHandle.of(c).ifPresent(found);
              todo.add(c);
            }
          }
        }
      } catch (IOException | RuntimeException gone) {
        // the process (or one of its threads) exited while we looked: it has no children to list
      }
    }
  }

  private static boolean childrenLists() {
    String self = Long.toString(ProcessHandle.current().pid());
    return Files.isReadable(Path.of("/proc", self, "task", self, "children"));
  }

  static boolean gone(ProcessHandle process) {
    return !process.isAlive() || zombie(process.pid());
  }

  /**
   * The resident memory of the processes, summed from Linux's {@code /proc/<pid>/status}
   * ({@code VmRSS}); -1 when none could be read (not Linux). Heroku also counts swap and, for R14,
   * the page cache; a process's RSS is what can be read cheaply.
   */
  static long rssBytes(java.util.Collection<ProcessHandle> processes) {
    long sum = -1;
    for (ProcessHandle p : processes) {
      if (!p.isAlive()) {
        continue; // its pid may belong to another process by now
      }
      try {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"), StandardCharsets.US_ASCII)) {
          if (line.startsWith("VmRSS:")) {
            String kb = line.substring(6).strip().split("\\s+")[0];
            sum = Math.max(sum, 0) + Long.parseLong(kb) * 1024;
            break;
          }
        }
      } catch (IOException | RuntimeException goneOrNotLinux) {
        // a process that has just exited, a zombie (no VmRSS), or no /proc: nothing to add
      }
    }
    return sum;
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
