package io.manifold.sim.time;

import com.typesafe.config.Config;
import java.io.Closeable;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.Scheduler;
import org.apache.pekko.event.LoggingAdapter;
import scala.concurrent.ExecutionContext;
import scala.concurrent.duration.FiniteDuration;

/**
 * Pekko's scheduler for an ActorSystem in virtual time: every timer (typed timers, ask time-outs,
 * the dyno's boot and grace timers) is an event on an {@link EventLoop} of
 * {@link EventLoop.Pacing#VIRTUAL virtual} pacing, which is also the system's only dispatcher
 * thread ({@link QuiescentExecutorConfigurator}). Select it with
 * {@code pekko.scheduler.implementation}; {@link VirtualTime} writes the whole config.
 *
 * <p>Unlike the testkit's {@code ManualTime}, a timer started while handling a timer message is
 * due relative to that message's moment, and nothing sleeps: time moves only when the loop is
 * quiescent, to the next due event.
 */
public final class VirtualClockScheduler implements Scheduler, Closeable {
  private final EventLoop loop;

  /** The constructor Pekko calls: {@code (Config, LoggingAdapter, ThreadFactory)}. */
  public VirtualClockScheduler(Config config, LoggingAdapter log, ThreadFactory threadFactory) {
    this.loop = new EventLoop(EventLoop.Pacing.VIRTUAL, "manifold-virtual-time");
  }

  /** The loop that is both this system's clock and its dispatcher. */
  public EventLoop loop() {
    return loop;
  }

  @Override
  public Cancellable scheduleOnce(FiniteDuration delay, Runnable runnable, ExecutionContext executor) {
    Timer timer = new Timer(runnable, executor, 0);
    loop.at(due(loop.nanos(), delay.toNanos()), timer);
    return timer;
  }

  /** Fixed rate; Pekko builds {@code scheduleWithFixedDelay} and friends on these two methods. */
  @Override
  @SuppressWarnings("deprecation")
  public Cancellable schedule(FiniteDuration initialDelay, FiniteDuration interval, Runnable runnable, ExecutionContext executor) {
    long period = interval.toNanos();
    if (period <= 0) {
      throw new IllegalArgumentException("a repeated task needs an interval above zero, not " + interval);
    }
    Timer timer = new Timer(runnable, executor, period);
    long first = due(loop.nanos(), initialDelay.toNanos());
    timer.due = first;
    loop.at(first, timer);
    return timer;
  }

  /** Virtual time has no tick: any frequency is exact. */
  @Override
  public double maxFrequency() {
    return 1.0e9;
  }

  @Override
  public void close() {
    loop.close();
  }

  private static long due(long now, long delay) {
    long d = Math.max(0, delay);
    return d > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + d;
  }

  /** A timer on the loop: hands its runnable to the executor Pekko gave, as Pekko's own does. */
  private final class Timer implements Runnable, Cancellable {
    private final Runnable runnable;
    private final ExecutionContext executor;
    private final long period;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private long due;

    Timer(Runnable runnable, ExecutionContext executor, long period) {
      this.runnable = runnable;
      this.executor = executor;
      this.period = period;
    }

    @Override
    public void run() {
      if (cancelled.get()) {
        return;
      }
      executor.execute(runnable);
      if (period > 0) {
        due = due(due, period);
        loop.at(due, this);
      }
    }

    @Override
    public boolean cancel() {
      return cancelled.compareAndSet(false, true);
    }

    @Override
    public boolean isCancelled() {
      return cancelled.get();
    }
  }
}
