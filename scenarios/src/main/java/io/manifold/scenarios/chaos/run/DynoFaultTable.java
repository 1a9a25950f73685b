package io.manifold.scenarios.chaos.run;

import io.manifold.core.dyno.DynoRuntime;
import io.manifold.core.dyno.DynoSpec;
import io.manifold.core.dyno.Endpoint;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The dyno faults of a run, shared by every node's runtime: which dynos run where (each node's
 * runtime is wrapped by {@link #wrap}, which notes every launch), and the faults that outlive a
 * dyno's restart. A synthetic app's faults go to {@code synthetic}, which plays them all. For
 * real processes: a crash is SIGKILL to the dyno, a crash loop kills every start of it once it
 * listens (or after {@link #CRASH_AFTER}), a hang stops the dyno's process group with SIGSTOP
 * until healed (SIGCONT); slow answers, errors and leaks need a synthetic app (the scenario
 * parser refuses them for real processes).
 *
 * <p>Bounded: one entry per running dyno and per dyno under a lasting fault.
 */
final class DynoFaultTable implements DynoFaults {
  static final Duration CRASH_AFTER = Duration.ofSeconds(1);

  private final Map<String, DynoRuntime.Running> running = new ConcurrentHashMap<>();
  private final Set<String> crashLooping = ConcurrentHashMap.newKeySet();
  private final Set<String> hung = ConcurrentHashMap.newKeySet();
  private final DynoFaults synthetic;
  private final java.util.function.Predicate<String> syntheticApp;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "dyno-faults");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param synthetic what plays the faults of synthetic apps
   * @param syntheticApp whether an app (by name) is synthetic
   */
  DynoFaultTable(DynoFaults synthetic, java.util.function.Predicate<String> syntheticApp) {
    this.synthetic = synthetic;
    this.syntheticApp = syntheticApp;
  }

  private static String key(String app, String dyno) {
    return app + "/" + dyno;
  }

  /** A node's runtime whose launches this table sees. */
  DynoRuntime wrap(DynoRuntime runtime) {
    return new DynoRuntime() {
      @Override
      public CompletionStage<Running> launch(DynoSpec spec, Output output) {
        return runtime.launch(spec, output).thenApply(r -> noted(key(spec.app(), spec.name().toString()), r));
      }

      @Override
      public void killAll() {
        runtime.killAll();
      }

      @Override
      public void close() {
        runtime.close();
      }
    };
  }

  private DynoRuntime.Running noted(String key, DynoRuntime.Running r) {
    running.put(key, r);
    r.exited().whenComplete((status, failure) -> running.remove(key, r));
    if (crashLooping.contains(key)) {
      // dies once it is up, or soon after the start if it never listens (a worker)
      r.bound().thenRun(() -> r.kill());
      timer.schedule(() -> {
        if (running.get(key) == r) {
          r.kill();
        }
      }, CRASH_AFTER.toMillis(), TimeUnit.MILLISECONDS);
    }
    if (hung.contains(key) && r.pid() > 0) {
      signal(r.pid(), "STOP");
    }
    return r;
  }

  @Override
  public boolean crash(String app, String dyno) {
    if (syntheticApp.test(app)) {
      return synthetic.crash(app, dyno);
    }
    DynoRuntime.Running r = running.get(key(app, dyno));
    if (r == null) {
      return false;
    }
    if (r.pid() > 0 && hung.contains(key(app, dyno))) {
      signal(r.pid(), "CONT");
    }
    r.kill();
    return true;
  }

  @Override
  public boolean crashLoop(String app, String dyno, boolean on) {
    if (syntheticApp.test(app)) {
      return synthetic.crashLoop(app, dyno, on);
    }
    String k = key(app, dyno);
    if (!on) {
      return crashLooping.remove(k);
    }
    crashLooping.add(k);
    return crash(app, dyno);
  }

  @Override
  public boolean hang(String app, String dyno, boolean on) {
    if (syntheticApp.test(app)) {
      return synthetic.hang(app, dyno, on);
    }
    String k = key(app, dyno);
    DynoRuntime.Running r = running.get(k);
    if (on) {
      hung.add(k);
    } else {
      hung.remove(k);
    }
    if (r != null) {
      signal(r.pid(), on ? "STOP" : "CONT");
    }
    return r != null;
  }

  @Override
  public boolean slow(String app, String dyno, Duration extra) {
    return syntheticApp.test(app) && synthetic.slow(app, dyno, extra);
  }

  @Override
  public boolean errors(String app, String dyno, double share) {
    return syntheticApp.test(app) && synthetic.errors(app, dyno, share);
  }

  @Override
  public boolean leak(String app, String dyno, long bytesPerRequest) {
    return syntheticApp.test(app) && synthetic.leak(app, dyno, bytesPerRequest);
  }

  /** Sends a signal to a dyno's whole process group (the process runtime makes each dyno a session). */
  private static void signal(long pid, String signal) {
    try {
      Process p = new ProcessBuilder("kill", "-" + signal, "--", "-" + pid).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new IllegalStateException("could not send SIG" + signal + " to " + pid + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Lifts every hang (so that stopping the dynos can work) and stops the timer. */
  void close() {
    for (String k : hung) {
      DynoRuntime.Running r = running.get(k);
      if (r != null && r.pid() > 0) {
        signal(r.pid(), "CONT");
      }
    }
    hung.clear();
    crashLooping.clear();
    timer.shutdownNow();
  }

  /** For tests: where a dyno listens now, if it runs. */
  Endpoint endpoint(String app, String dyno) {
    DynoRuntime.Running r = running.get(key(app, dyno));
    return r == null ? null : r.bound().toCompletableFuture().getNow(null);
  }
}
