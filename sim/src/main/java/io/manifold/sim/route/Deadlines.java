package io.manifold.sim.route;

import io.manifold.sim.time.SimClock;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Requests that must be answered within a fixed time of entering, in the order they entered. As
 * the time is the same for all and entries come in clock order, the deadlines are in order too:
 * one scheduled check at the oldest deadline stands for all of them, instead of a timer per
 * request. Answered requests leave from the front as soon as they get there.
 *
 * <p>Bounded by the requests in flight: every entry is answered within {@code timeout}.
 */
final class Deadlines implements Runnable {
  private final SimClock clock;
  private final long timeout;
  private final Consumer<Request> expire;
  private final ArrayDeque<Request> queue = new ArrayDeque<>();
  private boolean scheduled;

  Deadlines(SimClock clock, long timeoutNanos, Consumer<Request> expire) {
    this.clock = clock;
    this.timeout = timeoutNanos;
    this.expire = expire;
  }

  void add(Request r) {
    r.deadline = clock.nanos() + timeout;
    queue.addLast(r);
    if (!scheduled) {
      scheduled = true;
      clock.at(r.deadline, this);
    }
  }

  /** Lets answered requests at the front go. */
  void trim() {
    Request head;
    while ((head = queue.peekFirst()) != null && head.isAnswered()) {
      queue.pollFirst();
    }
  }

  int size() {
    return queue.size();
  }

  @Override
  public void run() {
    scheduled = false;
    long now = clock.nanos();
    Request head;
    while ((head = queue.peekFirst()) != null) {
      if (head.isAnswered()) {
        queue.pollFirst();
      } else if (head.deadline <= now) {
        queue.pollFirst();
        expire.accept(head);
      } else {
        scheduled = true;
        clock.at(head.deadline, this);
        return;
      }
    }
  }
}
