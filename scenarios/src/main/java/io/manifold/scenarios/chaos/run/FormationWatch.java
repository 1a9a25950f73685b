package io.manifold.scenarios.chaos.run;

import io.manifold.core.app.AppView;
import io.manifold.core.dyno.DynoState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Watches the apps' formations and the cluster's members while a scenario runs, every
 * {@link #EVERY_MILLIS} ms: for each app, how many dynos of each type are up on a node that runs
 * (a dyno an app still lists on a dead node does not count), and how the running nodes see the
 * members. Recovery times and the "dynos up" chart come from these samples.
 *
 * <p>Bounded: at most {@link #MAX_SAMPLES} samples are kept (the run's length at this pace, for
 * runs up to an hour); past that, every other sample is dropped.
 */
final class FormationWatch implements Runnable {
  static final long EVERY_MILLIS = 200;
  static final int MAX_SAMPLES = 20_000;

  /** One app at one moment: dynos wanted and up by type; null types when the app did not answer. */
  record AppSample(Map<String, Integer> wanted, Map<String, Integer> up, Map<String, String> nodeOf) {
    boolean whole() {
      if (wanted == null) {
        return false;
      }
      for (var e : wanted.entrySet()) {
        if (up.getOrDefault(e.getKey(), 0) < e.getValue()) {
          return false;
        }
      }
      return true;
    }

    int upCount() {
      return up == null ? 0 : up.values().stream().mapToInt(Integer::intValue).sum();
    }

    int wantedCount() {
      return wanted == null ? 0 : wanted.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /** Everything seen at {@code atNanos} since t = 0. */
  record Sample(long atNanos, Map<String, AppSample> apps, Map<String, String> members) {
    boolean whole() {
      return apps.values().stream().allMatch(AppSample::whole);
    }
  }

  private final ScenarioCluster cluster;
  private final List<String> apps;
  private final LongSupplier clock;
  private final List<Sample> samples = new ArrayList<>();
  private volatile boolean running = true;
  private Thread thread;

  FormationWatch(ScenarioCluster cluster, List<String> apps, LongSupplier nanosSinceStart) {
    this.cluster = cluster;
    this.apps = List.copyOf(apps);
    this.clock = nanosSinceStart;
  }

  void start() {
    thread = new Thread(this, "formation-watch");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void run() {
    while (running) {
      long began = System.nanoTime();
      Sample s = sample();
      synchronized (samples) {
        if (samples.size() >= MAX_SAMPLES) {
          List<Sample> thinned = new ArrayList<>();
          for (int i = 0; i < samples.size(); i += 2) {
            thinned.add(samples.get(i));
          }
          samples.clear();
          samples.addAll(thinned);
        }
        samples.add(s);
      }
      long rest = EVERY_MILLIS - (System.nanoTime() - began) / 1_000_000;
      if (rest > 0) {
        try {
          Thread.sleep(rest);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** One look now (also used once before the load starts, to wait for the formations). */
  Sample sample() {
    long at = clock.getAsLong();
    Map<String, AppSample> byApp = new TreeMap<>();
    for (String app : apps) {
      byApp.put(app, appSample(app));
    }
    return new Sample(at, byApp, cluster.members(0));
  }

  private AppSample appSample(String app) {
    AppView view = cluster.view(app);
    if (view == null) {
      return new AppSample(null, Map.of(), Map.of());
    }
    Map<String, Integer> wanted = new TreeMap<>(view.state().quantities());
    wanted.values().removeIf(q -> q == 0);
    Map<String, Integer> up = new TreeMap<>();
    Map<String, String> nodeOf = new TreeMap<>();
    for (AppView.DynoView d : view.dynos()) {
      if (d.status().name().isOneOff()) {
        continue;
      }
      boolean live = cluster.runsSince(d.node(), d.status().since());
      nodeOf.put(d.name(), live ? d.node() + ":" + d.status().state().name().toLowerCase() : d.node() + ":stale");
      if (live && d.status().state() == DynoState.UP) {
        up.merge(d.status().name().type(), 1, Integer::sum);
      }
    }
    return new AppSample(wanted, up, nodeOf);
  }

  void stop() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  /** The latest sample, or null before the first. */
  Sample latest() {
    synchronized (samples) {
      return samples.isEmpty() ? null : samples.get(samples.size() - 1);
    }
  }
}
