package io.manifold.sim.time;

/**
 * The time a simulated request path lives in, and the one thread it runs on. In virtual time it
 * jumps from event to event; in real time it follows the wall clock. Code on the request path
 * (load generators, the router front, synthetic dynos) reads time and schedules work only here, so
 * that the same code runs in both.
 */
public interface SimClock {

  /** Nanoseconds since the clock's origin. */
  long nanos();

  /**
   * Runs {@code task} on the clock's thread at {@code nanos} (or at once if that has passed). Tasks
   * due at the same time run in the order they were scheduled. Callable from any thread.
   */
  void at(long nanos, Runnable task);

  /** Runs {@code task} on the clock's thread after {@code delayNanos}. */
  default void after(long delayNanos, Runnable task) {
    at(nanos() + delayNanos, task);
  }

  /** Runs {@code task} on the clock's thread as soon as it can, after what is already due now. */
  default void post(Runnable task) {
    at(nanos(), task);
  }

  /** True when the caller runs on the clock's thread. */
  boolean inClockThread();
}
