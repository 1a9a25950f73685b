package io.manifold.sim.time;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * One thread that runs everything of a simulation in order: tasks handed to it as an
 * {@link Executor} (actor mailboxes, in virtual time) and events on its timeline
 * ({@link SimClock}). Tasks always go first, so an event only runs once every mailbox is empty
 * (quiescence): what the actors do at a moment is finished before time moves on.
 *
 * <p>{@link Pacing#VIRTUAL}: time stands still until {@link #drive} lets it jump from one event
 * to the next, as fast as the thread can go; the loop is the dispatcher and the scheduler of a
 * whole ActorSystem ({@link VirtualClockScheduler}). {@link Pacing#REAL}: events wait for the wall
 * clock; the loop runs only the request path, next to a normal ActorSystem.
 *
 * <p>Running the driver on this thread, instead of handing each due event over from another
 * thread, is what makes an event cost a heap operation rather than a thread hand-off (about 20
 * microseconds on the machine STACK.md measured).
 */
public final class EventLoop implements SimClock, Executor, AutoCloseable {

  public enum Pacing { VIRTUAL, REAL }

  /** How long {@link #close} waits for the thread to end. */
  private static final long CLOSE_WAIT_MILLIS = 10_000;

  private final Pacing pacing;
  private final Thread thread;
  private final EventQueue events = new EventQueue();
  /** Unbounded, but only actors' mailboxes and posts land here, each at most once per message. */
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final long origin = System.nanoTime();

  /** Now as the loop's thread sees it (see {@link #nanos}); only that thread reads or writes it. */
  private long now;
  /** Virtual now as other threads may see it: updated whenever a drive ends. */
  private volatile long published;
  private volatile boolean sleeping;
  private volatile boolean closed;
  private Drive drive;
  private volatile Throwable failure;

  private static final class Drive {
    final long horizon;
    final BooleanSupplier stop;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    volatile boolean cancelled;

    Drive(long horizon, BooleanSupplier stop) {
      this.horizon = horizon;
      this.stop = stop;
    }
  }

  public EventLoop(Pacing pacing, String threadName) {
    this.pacing = pacing;
    this.thread = new Thread(this::loop, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  public Pacing pacing() {
    return pacing;
  }

  // --- Executor: actor mailboxes and posts from other threads ---

  @Override
  public void execute(Runnable task) {
    if (closed) {
      return; // the system is gone; Pekko's dispatcher tolerates a dropped task at shutdown
    }
    tasks.offer(task);
    if (sleeping) {
      LockSupport.unpark(thread);
    }
  }

  // --- SimClock ---

  /**
   * Virtual: the current event's time. Real: on the loop's thread, the wall-clock time at which the
   * current event or task began, so that everything one event does happens at one instant as in
   * virtual time (a request sent to an idle dyno starts at its arrival, not microseconds later);
   * on other threads, the wall clock now.
   */
  @Override
  public long nanos() {
    if (Thread.currentThread() == thread) {
      return now;
    }
    return pacing == Pacing.REAL ? System.nanoTime() - origin : published;
  }

  @Override
  public void at(long time, Runnable task) {
    if (Thread.currentThread() == thread) {
      events.add(pacing == Pacing.VIRTUAL && time < now ? now : time, task);
    } else {
      execute(() -> at(time, task));
    }
  }

  @Override
  public boolean inClockThread() {
    return Thread.currentThread() == thread;
  }

  /** Events waiting on the timeline; for tests and the loop's own thread. */
  int pendingEvents() {
    return events.size();
  }

  // --- driving virtual time ---

  /**
   * Lets virtual time run until {@code horizon} (nanoseconds since the origin), or until
   * {@code stop} is true at a moment of quiescence, and returns once every mailbox is empty. The
   * clock then reads {@code horizon}, or the time of the event after which {@code stop} was true.
   * Only for {@link Pacing#VIRTUAL}, and never from the loop's own thread.
   *
   * @throws IllegalStateException if a task or an event failed: the simulation is broken
   */
  public void drive(long horizon, BooleanSupplier stop) {
    if (pacing != Pacing.VIRTUAL) {
      throw new IllegalStateException("only virtual time can be driven; real time runs by itself");
    }
    if (inClockThread()) {
      throw new IllegalStateException("drive() from the loop's own thread would wait for itself");
    }
    Drive d = new Drive(horizon, stop);
    execute(() -> drive = d);
    try {
      d.done.get();
    } catch (InterruptedException e) {
      d.cancelled = true;
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while driving virtual time", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the simulation failed: " + e.getCause(), e.getCause());
    }
  }

  /** Lets every task that is ready run, without moving time: {@code drive(now, never)}. */
  public void settle() {
    drive(published, () -> false);
  }

  /**
   * In real time, waits until {@code done} completes or {@code wallNanos} pass, whichever is
   * first; fails if an event of the loop failed.
   */
  public void await(CompletableFuture<?> done, long wallNanos) {
    try {
      done.get(wallNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // the caller looks at what it waited for
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the simulation", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the simulation failed: " + e.getCause(), e.getCause());
    }
    if (failure != null) {
      throw new IllegalStateException("the simulation failed: " + failure, failure);
    }
  }

  /** The first exception an event or task threw, or null. */
  public Throwable failure() {
    return failure;
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
    if (Thread.currentThread() != thread) {
      try {
        thread.join(CLOSE_WAIT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // --- the thread ---

  private void loop() {
    while (!closed) {
      Runnable task = tasks.poll();
      if (task != null) {
        if (pacing == Pacing.REAL) {
          now = System.nanoTime() - origin;
        }
        run(task);
      } else if (pacing == Pacing.VIRTUAL) {
        stepVirtual();
      } else {
        stepReal();
      }
    }
    Drive d = drive;
    if (d != null) {
      d.done.completeExceptionally(new IllegalStateException("the event loop was closed"));
    }
  }

  /** Quiescent: run the next event of the drive, or end the drive, or sleep until asked. */
  private void stepVirtual() {
    Drive d = drive;
    if (d == null) {
      sleep(Long.MAX_VALUE);
      return;
    }
    boolean stopped = d.cancelled || d.stop.getAsBoolean();
    if (!stopped && !events.isEmpty() && events.peekTime() <= d.horizon) {
      long time = events.peekTime();
      Runnable event = events.poll();
      if (time > now) {
        now = time;
      }
      run(event);
      return;
    }
    if (!stopped && d.horizon > now) {
      now = d.horizon;
    }
    published = now;
    drive = null;
    d.done.complete(null);
  }

  private void stepReal() {
    if (events.isEmpty()) {
      sleep(Long.MAX_VALUE);
      return;
    }
    long wall = System.nanoTime() - origin;
    long wait = events.peekTime() - wall;
    if (wait <= 0) {
      now = wall;
      run(events.poll());
    } else {
      sleep(wait);
    }
  }

  private void sleep(long nanos) {
    sleeping = true;
    if (tasks.isEmpty() && !closed) {
      if (nanos == Long.MAX_VALUE) {
        LockSupport.park(this);
      } else {
        LockSupport.parkNanos(this, nanos);
      }
    }
    sleeping = false;
  }

  private void run(Runnable task) {
    try {
      task.run();
    } catch (Throwable t) {
      if (failure == null) {
        failure = t;
      }
      Drive d = drive;
      if (d != null) {
        drive = null;
        published = now;
        d.done.completeExceptionally(t);
      }
    }
  }
}
