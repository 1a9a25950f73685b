package io.manifold.core.dyno;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a dyno as Heroku does: {@code /bin/sh -c <command>} in the app's directory, with
 * {@code PORT}, {@code DYNO} and the app's config vars in the environment (on top of Manifold's own
 * environment, so that {@code PATH} and {@code JAVA_HOME} work as on the developer's machine).
 *
 * <p>Each dyno gets a session of its own ({@code setsid}, where the system has it), so that a
 * Ctrl-C in Manifold's terminal reaches Manifold, which then stops the dynos the Heroku way,
 * rather than every process at once. Signals go to the dyno's whole process tree. Nothing a dyno
 * starts outlives Manifold: {@link #close()} and a JVM shutdown hook kill what is left, and when
 * the JVM dies without either ({@code kill -9}) a {@link Watchdog} kills the dynos' process groups,
 * so that a dyno whose node is gone cannot keep running beside its replacement on another node.
 *
 * <p>Bounds: two reader threads per running dyno (stdout and stderr), a launcher pool of
 * {@value #LAUNCH_THREADS} threads, one thread for all port probes, one watchdog process; the number
 * of dynos is bounded by the formation.
 */
public final class ProcessRuntime implements DynoRuntime, AutoCloseable {
  static final int LAUNCH_THREADS = 2;
  private final String host;
  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private final Duration probeInterval;
  private final Duration shutdownHookWait;
  private final ExecutorService launcher;
  private final ScheduledExecutorService probes;
  private final ThreadFactory readers;
  private final Set<ProcessDyno> live = ConcurrentHashMap.newKeySet();
  private final Watchdog watchdog = new Watchdog();
  private final boolean watched = Watchdog.available();
  private final Thread shutdownHook;

  /**
   * @param shutdownHookWait how long the JVM shutdown hook lets dynos stop by themselves (the
   *     graceful stop runs elsewhere) before it kills what is left
   */
  public ProcessRuntime(Duration probeInterval, Duration shutdownHookWait) {
    this(probeInterval, shutdownHookWait, "127.0.0.1");
  }

  /** @param host the node's host, where routers on other nodes reach its dynos' ports */
  public ProcessRuntime(Duration probeInterval, Duration shutdownHookWait, String host) {
    this.host = host;
    this.probeInterval = probeInterval;
    this.shutdownHookWait = shutdownHookWait;
    this.launcher = Executors.newFixedThreadPool(LAUNCH_THREADS, daemons("manifold-dyno-launcher"));
    this.probes = Executors.newSingleThreadScheduledExecutor(daemons("manifold-dyno-probe"));
    this.readers = daemons("manifold-dyno-output");
    this.shutdownHook = new Thread(this::lastResort, "manifold-dyno-reaper");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  public ProcessRuntime() {
    this(Duration.ofMillis(100), Duration.ofSeconds(40));
  }

  @Override
  public CompletionStage<Running> launch(DynoSpec spec, Output output) {
    return CompletableFuture.supplyAsync(() -> start(spec, output), launcher);
  }

  private Running start(DynoSpec spec, Output output) {
    if (!Files.isDirectory(spec.workDir())) {
      throw new IllegalStateException("the app directory " + spec.workDir() + " does not exist");
    }
    int port = PortAllocator.freePort();
    List<String> command = new ArrayList<>();
    boolean session = Files.isExecutable(SETSID);
    if (session) {
      command.add(SETSID.toString());
    }
    command.addAll(List.of("/bin/sh", "-c", spec.command()));
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(spec.workDir().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> env = builder.environment();
    env.putAll(spec.env());
    env.put("PORT", Integer.toString(port));
    env.put("DYNO", spec.name().toString());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start /bin/sh: " + e.getMessage(), e);
    }
    // setsid made the shell the leader of a process group (and session) with its pid
    long group = process.pid();
    if (session && watched) {
      watchdog.guard(group);
    }
    ProcessDyno dyno = new ProcessDyno(process, port, spec.name().isWeb(), probes);
    live.add(dyno);
    dyno.exited().whenComplete((status, failure) -> {
      live.remove(dyno);
      watchdog.release(group);
    });
    dyno.startReaders(output, readers);
    dyno.startWatching(probeInterval, host);
    return dyno;
  }

  /** How many dynos this runtime has running now. */
  public int running() {
    return live.size();
  }

  /** SIGKILL to every process of every dyno still running. */
  public void killAll() {
    live.forEach(ProcessDyno::kill);
  }

  /** Kills what is left and stops the runtime's threads. */
  @Override
  public void close() {
    killAll();
    awaitNone(Duration.ofSeconds(5));
    launcher.shutdownNow();
    probes.shutdownNow();
    watchdog.close();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook runs anyway; it finds nothing left to do
    }
  }

  /**
   * Runs in the JVM's shutdown, beside the actor system's coordinated shutdown, which stops dynos
   * gracefully: wait for that, then kill whatever still runs so that no child outlives the JVM.
   */
  private void lastResort() {
    if (!awaitNone(shutdownHookWait)) {
      killAll();
      awaitNone(Duration.ofSeconds(5));
    }
  }

  private boolean awaitNone(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!live.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return live.isEmpty();
      }
    }
    return live.isEmpty();
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
