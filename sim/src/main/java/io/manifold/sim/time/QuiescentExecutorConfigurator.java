package io.manifold.sim.time;

import com.typesafe.config.Config;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.dispatch.DispatcherPrerequisites;
import org.apache.pekko.dispatch.ExecutorServiceConfigurator;
import org.apache.pekko.dispatch.ExecutorServiceFactory;

/**
 * The dispatcher executor of an ActorSystem in virtual time: every mailbox runs on the thread of
 * the system's {@link VirtualClockScheduler} loop, one task at a time and in the order they were
 * submitted. Pekko submits a mailbox when a message reaches an idle one and re-submits it while
 * messages remain, so an empty task queue means every mailbox is empty: that is the quiescence
 * the loop waits for before it moves time.
 *
 * <p>Selected with {@code pekko.actor.default-dispatcher.executor}; {@link VirtualTime} writes the
 * whole config.
 */
public final class QuiescentExecutorConfigurator extends ExecutorServiceConfigurator {
  private final EventLoop loop;

  public QuiescentExecutorConfigurator(Config config, DispatcherPrerequisites prerequisites) {
    super(config, prerequisites);
    if (!(prerequisites.scheduler() instanceof VirtualClockScheduler scheduler)) {
      throw new IllegalStateException("the quiescent executor needs pekko.scheduler.implementation = "
          + VirtualClockScheduler.class.getName() + ", not " + prerequisites.scheduler().getClass().getName());
    }
    this.loop = scheduler.loop();
  }

  @Override
  public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory threadFactory) {
    return () -> new LoopExecutor(loop);
  }

  /** Hands tasks to the loop. Shutting it down does nothing: the scheduler's close ends the loop. */
  private static final class LoopExecutor extends AbstractExecutorService {
    private final EventLoop loop;

    LoopExecutor(EventLoop loop) {
      this.loop = loop;
    }

    @Override
    public void execute(Runnable command) {
      loop.execute(command);
    }

    @Override
    public void shutdown() {
      // a dispatcher shuts its executor down when it has no actors left; the loop outlives that
    }

    @Override
    public List<Runnable> shutdownNow() {
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return false;
    }

    @Override
    public boolean isTerminated() {
      return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }
}
