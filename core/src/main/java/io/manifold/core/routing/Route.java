package io.manifold.core.routing;

import io.manifold.core.dyno.DynoName;
import io.manifold.core.dyno.Endpoint;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An up web dyno as this router sees it: where it listens, how many requests this router has in
 * flight to it, and whether it is quarantined after a failed connection. The count lives as long
 * as the dyno stays at the same endpoint, across updates of the table.
 *
 * <p>Every request that got a slot with {@link #tryStart} gives it back with {@link #finished}
 * exactly once; the freed slot goes straight to the app's {@link Backlog}, as Heroku's router hands
 * a backlogged request to the first dyno that frees up.
 */
public final class Route implements RoutingPolicy.Candidate {
  private final DynoName dyno;
  private final Endpoint endpoint;
  private final Backlog backlog;
  private final AtomicInteger inFlight = new AtomicInteger();
  /** {@link System#nanoTime()} until which this router sends the dyno nothing; 0 when never. */
  private volatile long quarantinedUntil;
  private volatile HCode quarantinedFor;
  /** The dyno left the table (stopped, crashed, moved): its slots no longer feed the backlog. */
  private volatile boolean retired;

  Route(DynoName dyno, Endpoint endpoint, Backlog backlog) {
    this.dyno = dyno;
    this.endpoint = endpoint;
    this.backlog = backlog;
  }

  public DynoName dyno() {
    return dyno;
  }

  public Endpoint endpoint() {
    return endpoint;
  }

  @Override
  public int inFlight() {
    return inFlight.get();
  }

  /** Takes one of the dyno's {@code limit} slots; false when all are taken. */
  public boolean tryStart(int limit) {
    for (int n = inFlight.get(); n < limit; n = inFlight.get()) {
      if (inFlight.compareAndSet(n, n + 1)) {
        return true;
      }
    }
    return false;
  }

  /** Gives back the slot of a request that is over; call exactly once per successful {@link #tryStart}. */
  public void finished() {
    inFlight.decrementAndGet();
    if (!retired) {
      backlog.freed(this);
    }
  }

  /** Gives back a slot without offering it to the backlog: for the backlog's own hand-over. */
  void releaseQuietly() {
    inFlight.decrementAndGet();
  }

  /** Whether a new request may go here: in the table, not quarantined, a slot free. */
  boolean available(long nowNanos, int limit) {
    return !retired && !quarantined(nowNanos) && inFlight.get() < limit;
  }

  /** The connection to the dyno was refused or timed out: skip it on this router for {@code d}. */
  public void quarantine(HCode why, Duration d) {
    quarantinedFor = why;
    quarantinedUntil = System.nanoTime() + d.toNanos();
  }

  public boolean quarantined(long nowNanos) {
    long until = quarantinedUntil;
    return until != 0 && nowNanos - until < 0;
  }

  /** Why the dyno was last quarantined (H19 or H21); null if it never was. */
  public HCode quarantineCode() {
    return quarantinedFor;
  }

  void retire() {
    retired = true;
  }

  /** The dyno left the table: the router sends it nothing new, and may close its connections. */
  public boolean retired() {
    return retired;
  }

  @Override
  public String toString() {
    return dyno + "@" + endpoint + " (" + inFlight() + " in flight)";
  }
}
