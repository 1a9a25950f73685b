package io.manifold.core.dyno;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;

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
  private static final String STOPPED = "this node's runtime has stopped; no process starts on it any more";
  private final String host;
  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private final Duration probeInterval;
  private final Duration shutdownHookWait;
  private final ExecutorService launcher;
  private final ScheduledExecutorService probes;
  private final ThreadFactory readers;
  private final Map<ProcessDyno, Live> live = new ConcurrentHashMap<>();
  /** Starts hold it shared; {@link #close()} takes it alone to set {@link #closed}, so no start slips past a close. */
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed; // guarded by lifecycle
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
    try {
      return CompletableFuture.supplyAsync(() -> start(spec, output), launcher);
    } catch (RejectedExecutionException closedAlready) {
      return CompletableFuture.failedFuture(new IllegalStateException(STOPPED));
    }
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
    ProcessDyno dyno;
    lifecycle.readLock().lock();
    try {
      if (closed) {
        // the node is going away: a dyno that saw its process die must not bring it back
        throw new IllegalStateException(STOPPED);
      }
      process = builder.start();
      dyno = new ProcessDyno(process, port, spec.name().isWeb(), probes);
      live.put(dyno, new Live(spec.app(), spec.name(), process.pid(), port));
    } catch (IOException e) {
      throw new IllegalStateException("cannot start /bin/sh: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
    // setsid made the shell the leader of a process group (and session) with its pid
    long group = process.pid();
    if (session && watched) {
      watchdog.guard(group);
    }
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

  /**
   * A dyno this runtime started whose processes have not all ended (or whose last output is still
   * being read).
   *
   * @param pid the dyno's main process: {@code /bin/sh -c}, or what it {@code exec}s
   */
  public record Live(String app, DynoName dyno, long pid, int port) {}

  /** The dynos this runtime runs now: what {@code ps} on this node would show. */
  public List<Live> live() {
    return List.copyOf(live.values());
  }

  /**
   * The node dies: SIGKILL to every process of every dyno still running, and from now on no
   * process starts (a launch fails). Processes report their exit, so their dynos take it for a
   * crash and (a first crash restarts at once) would start them again while the node goes away;
   * they must not, and no start may slip in between the kills.
   */
  @Override
  public void killAll() {
    lifecycle.writeLock().lock();
    try {
      closed = true;
    } finally {
      lifecycle.writeLock().unlock();
    }
    live.keySet().forEach(ProcessDyno::kill);
  }

  /** Kills what is left (as {@link #killAll()}, so nothing starts any more) and stops the runtime's threads. */
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
