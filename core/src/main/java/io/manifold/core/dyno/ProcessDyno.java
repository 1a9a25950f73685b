package io.manifold.core.dyno;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * One dyno's process tree, as the {@link ProcessRuntime} started it. The tree is what the dyno's
 * shell and its children are; it is refreshed while the dyno runs, because once the shell has
 * exited its children are no longer its descendants and could not be found any more.
 *
 * <p>The dyno has exited when its shell has, every known process of the tree has, and its output
 * has been read to the end (so that the exit is logged after the last line the dyno printed). When
 * the shell exits by itself the rest of the tree is killed, as Heroku tears a dyno's container
 * down; when the dyno is being stopped, the rest gets its grace period.
 */
final class ProcessDyno implements DynoRuntime.Running {
  /** Output of processes that escaped the tree but hold the pipes is not waited for longer. */
  private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(2);
  /** A process that survives SIGKILL this long (a zombie, a stuck kernel call) is given up. */
  private static final Duration KILLED_WAIT = Duration.ofSeconds(10);
  private static final int PROBE_CONNECT_MILLIS = 200;
  private static final long TREE_POLL_MILLIS = 20;
  private static final long RSS_EVERY_NANOS = 1_000_000_000L;

  private final Process process;
  private final int port;
  private final boolean web;
  private final ScheduledExecutorService scheduler;
  private final Set<ProcessHandle> tree = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Endpoint> bound = new CompletableFuture<>();
  private final CompletableFuture<Void> stdoutDone = new CompletableFuture<>();
  private final CompletableFuture<Void> stderrDone = new CompletableFuture<>();
  private final CompletableFuture<Integer> exited;
  private volatile boolean stopping;
  private volatile ScheduledFuture<?> watcher;
  /** The tree's resident memory at the last sample (at most one a second), or -1 if unknown. */
  private volatile long rssBytes = -1;
  private long rssSampled = System.nanoTime() - RSS_EVERY_NANOS;

  /** @param scheduler runs the port probe and the watch over the process tree */
  ProcessDyno(Process process, int port, boolean web, ScheduledExecutorService scheduler) {
    this.process = process;
    this.port = port;
    this.web = web;
    this.scheduler = scheduler;
    tree.add(process.toHandle());
    this.exited = process.onExit().thenCompose(p -> afterShellExit(p.exitValue()));
  }

  private CompletableFuture<Integer> afterShellExit(int status) {
    ScheduledFuture<?> w = watcher;
    if (w != null) {
      w.cancel(false);
    }
    bound.completeExceptionally(new IllegalStateException("exited before binding $PORT"));
    if (!stopping) {
      tree.forEach(ProcessHandle::destroyForcibly);
    }
    CompletableFuture<Void> treeGone = treeGone();
    CompletableFuture<Void> outputRead = CompletableFuture.allOf(stdoutDone, stderrDone)
        .completeOnTimeout(null, OUTPUT_DRAIN.toMillis(), TimeUnit.MILLISECONDS);
    return treeGone.thenCompose(v -> outputRead).thenApply(v -> status);
  }

  /**
   * Completes once every known process of the tree is gone. Polled rather than
   * {@link ProcessHandle#onExit()}, which for a process that is not our child polls too, but
   * slowly, and waits for zombies to be reaped.
   */
  private CompletableFuture<Void> treeGone() {
    CompletableFuture<Void> gone = new CompletableFuture<>();
    ScheduledFuture<?>[] poll = new ScheduledFuture<?>[1];
    Runnable check = () -> {
      if (tree.stream().allMatch(ProcessTree::gone)) {
        gone.complete(null);
      }
    };
    check.run();
    if (!gone.isDone()) {
      poll[0] = scheduler.scheduleWithFixedDelay(check, TREE_POLL_MILLIS, TREE_POLL_MILLIS, TimeUnit.MILLISECONDS);
      gone.whenComplete((v, e) -> poll[0].cancel(false));
    }
    return gone;
  }

  void startReaders(DynoRuntime.Output output, ThreadFactory threads) {
    threads.newThread(() -> read(process.getInputStream(), output, stdoutDone)).start();
    threads.newThread(() -> read(process.getErrorStream(), output, stderrDone)).start();
  }

  private static void read(InputStream in, DynoRuntime.Output output, CompletableFuture<Void> done) {
    try (in) {
      new LineSplitter(output).pump(in);
    } catch (IOException closed) {
      // the pipe went away with the process: what was read has been passed on
    } finally {
      done.complete(null);
    }
  }

  /** Refreshes the tree every probe tick and, for a web dyno, checks whether {@code $PORT} is bound. */
  void startWatching(Duration interval, String host) {
    watcher = scheduler.scheduleWithFixedDelay(() -> {
      if (!process.isAlive()) {
        return;
      }
      refreshTree();
      if (System.nanoTime() - rssSampled >= RSS_EVERY_NANOS) {
        rssSampled = System.nanoTime();
        rssBytes = ProcessTree.rssBytes(tree);
      }
      if (web && !bound.isDone() && accepts(host)) {
        bound.complete(new Endpoint(host, port));
      }
    }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private boolean accepts(String host) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), PROBE_CONNECT_MILLIS);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  private void refreshTree() {
    ProcessTree.descendants(process.toHandle(), tree::add);
  }

  @Override
  public CompletionStage<Endpoint> bound() {
    return bound;
  }

  @Override
  public CompletionStage<Integer> exited() {
    return exited;
  }

  @Override
  public void terminate() {
    stopping = true;
    refreshTree();
    tree.forEach(ProcessHandle::destroy);
  }

  @Override
  public void kill() {
    stopping = true;
    refreshTree();
    tree.forEach(ProcessHandle::destroyForcibly);
    // a process that cannot die is not waited for forever
    exited.completeOnTimeout(137, KILLED_WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public long pid() {
    return process.pid();
  }

  /** Resident memory of the dyno's processes (Linux; empty elsewhere), sampled on the probe thread. */
  @Override
  public OptionalLong memoryBytes() {
    long b = rssBytes;
    return b < 0 ? OptionalLong.empty() : OptionalLong.of(b);
  }

  @Override
  public String toString() {
    return "process " + process.pid() + " on port " + port;
  }
}
