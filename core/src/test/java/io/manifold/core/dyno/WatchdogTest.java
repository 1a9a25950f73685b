package io.manifold.core.dyno;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.manifold.testing.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A dyno does not outlive its node's JVM, however that JVM dies: killed with {@code kill -9}, it
 * takes the dyno's whole process group with it. And the watchdog never touches a group whose dyno
 * has ended, whose id the system may have given to another process since.
 */
class WatchdogTest {
  /** From the JVM's death until the dyno's processes are gone: generous, the watcher needs milliseconds. */
  private static final Duration GONE_WITHIN = Duration.ofSeconds(10);

  @BeforeAll
  static void needsSetsid() {
    assumeTrue(Watchdog.available(), "no /usr/bin/setsid: dynos share Manifold's session and the watchdog is off");
  }

  @Test
  void aDynoDiesWithItsNodesJvmWhenThatIsKilledWithKillDashNine() throws Exception {
    Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx64m", "-cp", System.getProperty("java.class.path"), WatchdogChild.class.getName())
        .redirectErrorStream(true).start();
    List<String> lines = Processes.output(jvm, "watchdog-child");
    List<Long> pids = new ArrayList<>();
    try {
      for (String name : List.of("shell", "child", "grandchild", "watcher")) {
        pids.add(pidOf(lines, name, jvm));
      }
      for (long pid : pids) {
        assertTrue(running(pid), "process " + pid + " runs before the kill: " + lines);
      }

      new ProcessBuilder("kill", "-9", Long.toString(jvm.pid())).start().waitFor(5, TimeUnit.SECONDS);
      assertTrue(jvm.waitFor(10, TimeUnit.SECONDS), "the JVM died");
      long diedAt = System.nanoTime();
      assertEquals(137, jvm.exitValue());

      long deadline = diedAt + GONE_WITHIN.toNanos();
      while (pids.stream().anyMatch(WatchdogTest::running) && System.nanoTime() < deadline) {
        Processes.sleep(10);
      }
      List<Long> left = pids.stream().filter(WatchdogTest::running).toList();
      assertTrue(left.isEmpty(), "still running " + GONE_WITHIN.toSeconds() + " s after the JVM died: " + left + " of " + lines);
      System.out.println("[RESULT] kill -9 of a node's JVM: its dyno's shell, child and grandchild, and the watcher, gone "
          + (System.nanoTime() - diedAt) / 1_000_000 + " ms after the JVM died");
    } finally {
      jvm.destroyForcibly();
      for (long pid : pids) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  @Test
  void closingKillsTheGroupsStillListedAndNoneThatWasReleased() throws Exception {
    Process released = group("sleep 631");
    Process listed = group("sleep 632 & exec sleep 633");
    Watchdog watchdog = new Watchdog();
    try {
      watchdog.guard(released.pid());
      watchdog.guard(listed.pid());
      watchdog.release(released.pid());
      assertEquals(List.of(listed.pid()), watchdog.guarded());
      watchdog.close();
      assertTrue(listed.waitFor(5, TimeUnit.SECONDS), "the listed group was killed");
      assertEquals(137, listed.exitValue());
      awaitNo("sleep 632");
      assertTrue(released.isAlive(), "a released group is left alone");
    } finally {
      released.destroyForcibly();
      listed.destroyForcibly();
    }
  }

  @Test
  void aWatcherKilledBySomeoneIsReplacedWithTheWholeList() throws Exception {
    Process first = group("sleep 641");
    Process second = group("sleep 642");
    Watchdog watchdog = new Watchdog();
    try {
      watchdog.guard(first.pid());
      long watcher = watchdog.watcherPid();
      ProcessHandle.of(watcher).ifPresent(ProcessHandle::destroyForcibly);
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (Processes.alive(watcher) && System.nanoTime() < deadline) {
        Processes.sleep(10);
      }
      assertTrue(first.isAlive(), "a watcher that is itself killed kills nothing");
      watchdog.guard(second.pid());
      assertTrue(watchdog.watcherPid() != watcher, "a new watcher");
      watchdog.close();
      assertTrue(first.waitFor(5, TimeUnit.SECONDS) && second.waitFor(5, TimeUnit.SECONDS), "both groups were handed to the new watcher");
    } finally {
      first.destroyForcibly();
      second.destroyForcibly();
    }
  }

  /** A process group of its own, as a dyno's: {@code setsid sh -c command}. */
  private static Process group(String command) throws Exception {
    return new ProcessBuilder("/usr/bin/setsid", "/bin/sh", "-c", command).redirectErrorStream(true).start();
  }

  private static long pidOf(List<String> lines, String name, Process jvm) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : lines) {
        if (line.startsWith(name + " ")) {
          return Long.parseLong(line.substring(name.length() + 1).strip());
        }
      }
      if (!jvm.isAlive()) {
        break;
      }
      Processes.sleep(20);
    }
    throw new AssertionError("the child JVM never printed its " + name + "'s pid: " + lines);
  }

  /** Alive and not a zombie (orphans are reaped by whatever init the machine has, maybe late). */
  private static boolean running(long pid) {
    return ProcessHandle.of(pid).map(p -> !ProcessTree.gone(p)).orElse(false);
  }

  private static void awaitNo(String fragment) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (Processes.descendants().stream().anyMatch(p -> p.contains(fragment)) && System.nanoTime() < deadline) {
      Processes.sleep(10);
    }
    assertTrue(Processes.descendants().stream().noneMatch(p -> p.contains(fragment)), Processes.descendants().toString());
  }
}
