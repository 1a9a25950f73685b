package io.manifold.http;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.Scheduler;
import scala.concurrent.ExecutionContextExecutor;

/**
 * Heroku's 30 s to a dyno's first response byte (H12), for every request of this router at once:
 * one sweep over the client connections every tenth of the time-out (at most 100 ms, at least
 * 10 ms, the scheduler's tick), each looking at its request in flight, if any ({@link DynoCall}
 * arms and disarms its own deadline). A timer per request, which is how it was done before, put
 * an entry in Pekko's timer wheel that stayed there for the whole 30 s after its request was over
 * (a cancelled timer waits for its turn of the wheel); at 10,000 requests a second that was
 * 300,000 entries, most of them promoted to the old generation, and the cards their insertion
 * dirtied were most of the work of each young collection (10 ms pauses). An H12 now comes up to
 * a tenth of the time-out late, well within Heroku's own precision.
 */
final class RequestTimeouts {
  private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();

  RequestTimeouts(Scheduler scheduler, ExecutionContextExecutor executor, Duration timeout) {
    Duration every = Duration.ofNanos(Math.max(10_000_000L, Math.min(100_000_000L, timeout.toNanos() / 10)));
    scheduler.scheduleWithFixedDelay(every, every, this::sweep, executor);
  }

  /** A client connection opened: its requests are watched until it {@link #closed}. */
  void opened(ClientConnection c) {
    connections.add(c);
  }

  void closed(ClientConnection c) {
    connections.remove(c);
  }

  private void sweep() {
    long now = System.nanoTime();
    for (ClientConnection c : connections) {
      Exchange ex = c.current();
      DynoCall call = ex == null ? null : ex.call;
      if (call != null) {
        call.checkH12(now);
      }
    }
  }
}
