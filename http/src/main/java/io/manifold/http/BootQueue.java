package io.manifold.http;

import io.manifold.core.routing.AppRoutes;
import io.manifold.core.routing.RoutingTable;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.Scheduler;
import scala.concurrent.ExecutionContextExecutor;

/**
 * Requests that arrived while an app's web dynos were all starting (after a deploy, a restart, a
 * scale from zero). As Heroku's router does, each waits until a dyno is up, or until the boot
 * queue time-out (75 s), which is H20. Bounded: past {@code max} waiting requests the router
 * answers at once (H11), and a request that gave up (or whose client left) leaves no trace.
 */
final class BootQueue {
  private final RoutingTable table;
  private final Scheduler scheduler;
  private final ExecutionContextExecutor executor;
  private final int max;
  private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();

  BootQueue(RoutingTable table, Scheduler scheduler, ExecutionContextExecutor executor, int max) {
    this.table = table;
    this.scheduler = scheduler;
    this.executor = executor;
    this.max = max;
    arm();
  }

  /** Wakes every waiter at each change of the table; re-arms first so that no change is missed. */
  private void arm() {
    table.nextChange().thenRunAsync(() -> {
      arm();
      waiters.forEach(Waiter::recheck);
    }, (Executor) executor);
  }

  /** Whether another request may wait. */
  boolean hasRoom() {
    return waiters.size() < max;
  }

  int waiting() {
    return waiters.size();
  }

  /**
   * Holds {@code ex} for {@code app} until it is no longer booting, then runs {@code onReady};
   * or until {@code timeout}, then {@code onTimeout}; or until its client leaves, then
   * {@code onGone}. Exactly one of them runs.
   */
  void await(String app, Duration timeout, Exchange ex, Runnable onReady, Runnable onTimeout, Runnable onGone) {
    Waiter w = new Waiter(app, onReady, onTimeout);
    waiters.add(w);
    ex.onClientGone(() -> {
      if (w.settle()) {
        onGone.run();
      }
    });
    w.timer = scheduler.scheduleOnce(timeout, w::expire, executor);
    w.recheck(); // the table may have changed between the caller's look and now
  }

  private final class Waiter {
    final String app;
    final Runnable onReady;
    final Runnable onTimeout;
    final AtomicBoolean settled = new AtomicBoolean();
    volatile Cancellable timer;

    Waiter(String app, Runnable onReady, Runnable onTimeout) {
      this.app = app;
      this.onReady = onReady;
      this.onTimeout = onTimeout;
    }

    void recheck() {
      AppRoutes routes = table.routes(app);
      if (routes != null && routes.booting()) {
        return;
      }
      if (settle()) {
        onReady.run();
      }
    }

    void expire() {
      if (settle()) {
        onTimeout.run();
      }
    }

    boolean settle() {
      if (settled.compareAndSet(false, true)) {
        waiters.remove(this);
        Cancellable t = timer;
        if (t != null) {
          t.cancel();
        }
        return true;
      }
      return false;
    }
  }
}
