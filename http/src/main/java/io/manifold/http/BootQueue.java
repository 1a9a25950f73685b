package io.manifold.http;

import io.manifold.core.routing.AppRoutes;
import io.manifold.core.routing.RoutingTable;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import scala.concurrent.ExecutionContextExecutor;

/**
 * Requests that arrived while an app's web dynos were all starting (after a deploy, a restart, a
 * scale from zero). As Heroku's router does, each waits until a dyno is up, or until the boot
 * queue time-out (75 s), which is H20. Bounded: past {@code max} waiting requests the router
 * answers at once (H11), and a request that gave up leaves no trace behind.
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
   * Holds a request for {@code app} until it is no longer booting, then {@code onReady} answers
   * it; or until {@code timeout}, then {@code onTimeout} does.
   */
  CompletionStage<HttpResponse> await(
      String app,
      Duration timeout,
      Supplier<CompletionStage<HttpResponse>> onReady,
      Supplier<HttpResponse> onTimeout) {
    Waiter w = new Waiter(app, onReady, onTimeout);
    waiters.add(w);
    w.timer = scheduler.scheduleOnce(timeout, w::expire, executor);
    w.recheck(); // the table may have changed between the caller's look and now
    return w.answer;
  }

  private final class Waiter {
    final String app;
    final Supplier<CompletionStage<HttpResponse>> onReady;
    final Supplier<HttpResponse> onTimeout;
    final CompletableFuture<HttpResponse> answer = new CompletableFuture<>();
    final AtomicBoolean settled = new AtomicBoolean();
    volatile Cancellable timer;

    Waiter(
        String app,
        Supplier<CompletionStage<HttpResponse>> onReady,
        Supplier<HttpResponse> onTimeout) {
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
        Cancellable t = timer;
        if (t != null) {
          t.cancel();
        }
        onReady.get().whenComplete((response, failure) -> {
          if (failure != null) {
            answer.completeExceptionally(failure);
          } else {
            answer.complete(response);
          }
        });
      }
    }

    void expire() {
      if (settle()) {
        answer.complete(onTimeout.get());
      }
    }

    private boolean settle() {
      if (settled.compareAndSet(false, true)) {
        waiters.remove(this);
        return true;
      }
      return false;
    }
  }
}
