package io.manifold.testing;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** Checks on the processes a test started: none may outlive what started them. */
public final class Processes {
  private Processes() {}

  /**
   * What {@code process} prints, line by line as it comes, read by a daemon thread until its end:
   * what a process printed before it was killed is still in the pipe and still read.
   */
  public static List<String> output(Process process, String name) {
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (java.io.BufferedReader r = new java.io.BufferedReader(
          new java.io.InputStreamReader(process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (java.io.IOException ended) {
        // the process is gone
      }
    }, name + "-output");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  /** The test JVM's live descendants, as {@code pid command}. */
  public static List<String> descendants() {
    return ProcessHandle.current().descendants()
        .filter(ProcessHandle::isAlive)
        .map(p -> p.pid() + " " + p.info().commandLine().orElse(p.info().command().orElse("?")))
        .collect(Collectors.toList());
  }

  /** Waits (bounded) until the test JVM has no child processes left; returns those still there. */
  public static List<String> awaitNoDescendants(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    List<String> left = descendants();
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      sleep(50);
      left = descendants();
    }
    return left;
  }

  /** Whether a process with this pid is alive. */
  public static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
