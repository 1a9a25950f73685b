package io.manifold.core.routing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One app's request backlog on one router, as Heroku's router keeps it: a request goes to a dyno
 * with fewer than {@link RoutingTable.Limits#perDyno} requests in flight from this router; when
 * every up dyno is full it waits here, in arrival order, and goes to the first dyno that frees
 * up. The backlog holds at most {@link RoutingTable.Limits#backlogPerDyno} times the number of up
 * web dynos; a request beyond that is refused (H11).
 *
 * <p>Lock-free on the way in while the backlog is empty (one compare-and-set on the dyno's count);
 * a lock only around the queue itself. A request that joins re-checks for a free slot after it
 * is in the queue, and a dyno that frees a slot checks the queue after giving the slot back, so
 * that a request can never wait while a slot is free.
 */
public final class Backlog {

  /** A request waiting for a dyno. */
  public interface Waiter {
    /**
     * Called once with a route whose slot was taken for this request. Returns false when the
     * request gave up meanwhile (time-out, client gone): the slot then goes to the next waiter.
     * Must not block: it is called on whichever thread freed the slot.
     */
    boolean take(Route route);

    /**
     * The app has no up dyno any more (or is gone): the request has left the backlog and is to be
     * routed again. Called at most once, instead of {@link #take}; must not block.
     */
    void evicted();
  }

  private final RoutingTable table;
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  /** {@code waiting.size()}, readable without the lock (changed only under it). */
  private final AtomicInteger size = new AtomicInteger();
  private volatile List<Route> up = List.of();

  Backlog(RoutingTable table) {
    this.table = table;
  }

  /** The app's up dynos now; set by the {@link Router} with each table it publishes. */
  void up(List<Route> routes) {
    this.up = routes;
  }

  /** Requests waiting now. */
  public int size() {
    return size.get();
  }

  /** How many may wait now: {@code backlogPerDyno} per up web dyno. */
  public int max() {
    return table.limits().backlogPerDyno() * up.size();
  }

  /**
   * A route with a slot taken for a new request: the policy's pick if it is free, else one of the
   * free ones; null when none is free (or requests are already waiting, who go first).
   */
  public Route admit(RoutingPolicy policy, List<Route> candidates) {
    if (size.get() > 0 || candidates.isEmpty()) {
      return null;
    }
    int limit = table.limits().perDyno();
    long now = System.nanoTime();
    Route pick = policy.choose(candidates);
    if (pick.available(now, limit) && pick.tryStart(limit)) {
      return pick;
    }
    // the pick is full or quarantined: choose among the others, a few times at most under contention
    for (int attempt = 0; attempt < 3; attempt++) {
      List<Route> free = candidates.stream().filter(r -> r.available(now, limit)).toList();
      if (free.isEmpty()) {
        return null;
      }
      Route next = policy.choose(free);
      if (next.tryStart(limit)) {
        return next;
      }
    }
    return null;
  }

  /** Whether no up dyno may take requests because each is quarantined. */
  public boolean allQuarantined(List<Route> candidates) {
    long now = System.nanoTime();
    for (Route r : candidates) {
      if (!r.quarantined(now)) {
        return false;
      }
    }
    return !candidates.isEmpty();
  }

  /** Queues a request; false when the backlog is full (Heroku's H11). */
  public boolean join(Waiter w) {
    synchronized (this) {
      if (waiting.size() >= max()) {
        return false;
      }
      waiting.addLast(w);
      size.incrementAndGet();
    }
    drain(null); // a slot may have freed between the caller's look and now
    return true;
  }

  /** Takes a request out that gave up; false if it had already been handed a dyno. */
  public boolean leave(Waiter w) {
    synchronized (this) {
      if (waiting.remove(w)) {
        size.decrementAndGet();
        return true;
      }
      return false;
    }
  }

  /**
   * The app has no up web dyno left: every waiting request leaves, to be routed again, as Heroku's
   * router answers them at once (H14, H10, or the boot queue while dynos start) rather than letting
   * them wait out the request time-out.
   */
  public void evictAll() {
    List<Waiter> out;
    synchronized (this) {
      out = new ArrayList<>(waiting);
      waiting.clear();
      size.set(0);
    }
    out.forEach(Waiter::evicted);
  }

  /** A slot on {@code route} was given back. */
  void freed(Route route) {
    if (size.get() > 0) {
      drain(route);
    }
  }

  /**
   * Hands free slots to waiting requests, oldest first, {@code preferred} first; until no request
   * waits or no slot is free. Each turn either hands a slot over or removes a waiter, so it ends.
   */
  public void drain(Route preferred) {
    int limit = table.limits().perDyno();
    Route next = preferred;
    while (size.get() > 0) {
      long now = System.nanoTime();
      Route slot = next != null && next.available(now, limit) && next.tryStart(limit) ? next : anyFree(now, limit);
      next = null;
      if (slot == null) {
        return;
      }
      Waiter w;
      synchronized (this) {
        w = waiting.pollFirst();
        if (w != null) {
          size.decrementAndGet();
        }
      }
      if (w == null || !w.take(slot)) {
        slot.releaseQuietly(); // and look again: a request may have joined meanwhile
      }
    }
  }

  private Route anyFree(long now, int limit) {
    for (Route r : up) {
      if (r.available(now, limit) && r.tryStart(limit)) {
        return r;
      }
    }
    return null;
  }
}
