package io.manifold.sim.live;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One thread that does everything a {@link LiveSyntheticRuntime}'s dynos do: accepts and reads
 * connections, writes answers, and runs timers (boot, the end of each request's service). Every
 * dyno's state is touched on this thread only; other threads hand it work with {@link #execute}.
 *
 * <p>Timers are due to within about a millisecond: the selector waits in whole milliseconds, and a
 * wait shorter than one is a park, which Linux keeps to some tens of microseconds.
 *
 * <p>Bounds: the timers are one per request in service and one per booting dyno; the tasks are what
 * other threads hand over (launches, signals, fault changes), each done at once.
 */
final class NioLoop implements Runnable {
  private static final System.Logger LOG = System.getLogger(NioLoop.class.getName());

  /** What the loop calls when a channel it watches is ready. */
  interface Handler {
    void ready(SelectionKey key);
  }

  /** A timer on the loop; cancel it on the loop's thread. */
  final class Timer implements Comparable<Timer> {
    final long due;
    final long seq;
    final Runnable action;
    boolean cancelled;

    Timer(long due, long seq, Runnable action) {
      this.due = due;
      this.seq = seq;
      this.action = action;
    }

    /** Removed at once, so that a dyno killed with long requests in service leaves nothing behind. */
    void cancel() {
      if (!cancelled) {
        cancelled = true;
        timers.remove(this);
      }
    }

    @Override
    public int compareTo(Timer o) {
      int byDue = Long.compare(due, o.due);
      return byDue != 0 ? byDue : Long.compare(seq, o.seq);
    }
  }

  private final Selector selector;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private long seq;
  private volatile boolean closed;

  NioLoop(String name) {
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector", e);
    }
    this.thread = new Thread(this, name);
    thread.setDaemon(true);
    thread.start();
  }

  Selector selector() {
    return selector;
  }

  boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /** Runs {@code task} on the loop's thread, soon; from any thread. */
  void execute(Runnable task) {
    tasks.add(task);
    selector.wakeup();
  }

  /** Runs {@code action} on the loop once {@code nanos} have passed. On the loop's thread. */
  Timer after(long nanos, Runnable action) {
    long now = System.nanoTime();
    long due = nanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + Math.max(0, nanos);
    Timer t = new Timer(due, seq++, action);
    timers.add(t);
    return t;
  }

  /**
   * Ends the loop once the tasks handed over before have run, and waits (bounded) for its thread.
   * Channels are closed by their owners, in those tasks.
   */
  void close() {
    execute(() -> closed = true);
    if (!inLoop()) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public void run() {
    try {
      while (!closed) {
        runTasks();
        runDueTimers();
        if (closed) {
          break;
        }
        waitForWork();
        for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
          SelectionKey key = it.next();
          it.remove();
          if (key.isValid() && key.attachment() instanceof Handler h) {
            guarded(() -> h.ready(key));
          }
        }
      }
    } catch (IOException | ClosedSelectorException e) {
      LOG.log(System.Logger.Level.ERROR, "synthetic dynos' loop stopped", e);
    } finally {
      closed = true;
      try {
        selector.close();
      } catch (IOException ignored) {
        // nothing more to do
      }
    }
  }

  private void waitForWork() throws IOException {
    if (!tasks.isEmpty()) {
      selector.selectNow();
      return;
    }
    Timer next = timers.peek();
    if (next == null) {
      selector.select();
      return;
    }
    long wait = next.due - System.nanoTime();
    if (wait <= 0) {
      selector.selectNow();
    } else if (wait >= 1_000_000) {
      selector.select(wait / 1_000_000);
    } else {
      LockSupport.parkNanos(wait);
      selector.selectNow();
    }
  }

  private void runTasks() {
    Runnable task;
    while ((task = tasks.poll()) != null) {
      guarded(task);
    }
  }

  private void runDueTimers() {
    long now = System.nanoTime();
    Timer t;
    while ((t = timers.peek()) != null && t.due <= now) {
      timers.poll();
      if (!t.cancelled) {
        guarded(t.action);
      }
    }
  }

  /** A fault in one dyno's code must not stop every other dyno of the node. */
  private static void guarded(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "synthetic dyno failed", e);
    }
  }
}
