package io.manifold.cluster;

import io.manifold.core.dyno.ProcessRuntime;
import io.manifold.testing.Processes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Watches, on a thread of its own, which dyno processes are alive on which node, every
 * {@value #EVERY_MILLIS} ms: a dyno with two live processes at once (on two nodes, or on one) is
 * caught if it lasts longer than a sample, and each process's start and end is timed. The truth
 * comes from the nodes' runtimes and the operating system, not from what the apps believe.
 */
final class ProcessWatch implements AutoCloseable {
  static final long EVERY_MILLIS = 10;

  /** A process of {@code dyno} ({@code app/web.1}) on {@code node} appeared or ended, as sampled. */
  record Event(Instant at, String dyno, String node, long pid, boolean started) {}

  private final ClusterHarness cluster;
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final List<String> twice = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  ProcessWatch(ClusterHarness cluster) {
    this.cluster = cluster;
    // the processes already running are the baseline, not events
    Set<String> baseline = sample(new HashSet<>());
    events.clear();
    this.thread = new Thread(() -> run(baseline), "process-watch");
    this.thread.setDaemon(true);
    thread.start();
  }

  private void run(Set<String> baseline) {
    Set<String> previous = baseline;
    while (running) {
      Processes.sleep(EVERY_MILLIS);
      previous = sample(previous);
    }
  }

  /** One sample: records what started and ended since {@code previous} and any dyno running twice. */
  private Set<String> sample(Set<String> previous) {
    Instant now = Instant.now();
    Set<String> current = new HashSet<>();
    Map<String, List<String>> where = new TreeMap<>();
    Map<String, String[]> parts = new HashMap<>();
    for (ManifoldNode n : cluster.manifold.nodes()) {
      for (ProcessRuntime.Live l : n.processes()) {
        if (Processes.alive(l.pid())) {
          String dyno = l.app() + "/" + l.dyno();
          String key = dyno + "@" + n.name() + "#" + l.pid();
          current.add(key);
          parts.put(key, new String[] {dyno, n.name(), Long.toString(l.pid())});
          where.computeIfAbsent(dyno, k -> new ArrayList<>()).add(n.name() + " (pid " + l.pid() + ")");
        }
      }
    }
    where.forEach((dyno, on) -> {
      if (on.size() > 1) {
        twice.add(now + " " + dyno + " runs " + on.size() + " times: " + on);
      }
    });
    for (String key : current) {
      if (!previous.contains(key)) {
        String[] p = parts.get(key);
        events.add(new Event(now, p[0], p[1], Long.parseLong(p[2]), true));
      }
    }
    for (String key : previous) {
      if (!current.contains(key)) {
        String dyno = key.substring(0, key.indexOf('@'));
        String node = key.substring(key.indexOf('@') + 1, key.indexOf('#'));
        events.add(new Event(now, dyno, node, Long.parseLong(key.substring(key.indexOf('#') + 1)), false));
      }
    }
    return current;
  }

  /** Every moment a dyno was seen running more than once, described; empty is what must be. */
  List<String> twice() {
    return List.copyOf(twice);
  }

  List<Event> events() {
    return List.copyOf(events);
  }

  /** The first start of a process of {@code dyno} on one of {@code nodes} at or after {@code after}; null if none yet. */
  Instant firstStart(String dyno, Set<String> nodes, Instant after) {
    for (Event e : events) {
      if (e.started() && e.dyno().equals(dyno) && nodes.contains(e.node()) && !e.at().isBefore(after)) {
        return e.at();
      }
    }
    return null;
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
