package io.manifold.sim.time;

import java.util.Arrays;

/**
 * The timeline: tasks ordered by due time, and by the order they were added when their times are
 * equal, so that a run is a pure function of its inputs. A binary heap over parallel arrays of
 * primitives, because the request path adds and takes two events per simulated request and a
 * {@code PriorityQueue} of boxed entries costs a comparator call and an allocation each time.
 *
 * <p>Not thread-safe: only its loop's thread touches it.
 */
final class EventQueue {
  /** Bound on pending events; past it {@link #add} throws, which ends the run with that error. */
  static final int MAX_EVENTS = 1 << 26;

  private long[] times = new long[1024];
  private long[] seqs = new long[1024];
  private Runnable[] tasks = new Runnable[1024];
  private int size;
  private long nextSeq;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The due time of the earliest event; only when not empty. */
  long peekTime() {
    return times[0];
  }

  void add(long time, Runnable task) {
    if (size == times.length) {
      grow();
    }
    long seq = nextSeq++;
    int i = size++;
    // sift up: move parents down until the new entry's place is found
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      long pt = times[parent];
      if (pt < time || (pt == time && seqs[parent] < seq)) {
        break;
      }
      times[i] = pt;
      seqs[i] = seqs[parent];
      tasks[i] = tasks[parent];
      i = parent;
    }
    times[i] = time;
    seqs[i] = seq;
    tasks[i] = task;
  }

  /** Removes and returns the earliest event's task; only when not empty. */
  Runnable poll() {
    Runnable top = tasks[0];
    int last = --size;
    long time = times[last];
    long seq = seqs[last];
    Runnable task = tasks[last];
    tasks[last] = null;
    if (last > 0) {
      int i = 0;
      int half = last >>> 1;
      while (i < half) {
        int child = 2 * i + 1;
        int right = child + 1;
        if (right < last && (times[right] < times[child] || (times[right] == times[child] && seqs[right] < seqs[child]))) {
          child = right;
        }
        long ct = times[child];
        if (time < ct || (time == ct && seq < seqs[child])) {
          break;
        }
        times[i] = ct;
        seqs[i] = seqs[child];
        tasks[i] = tasks[child];
        i = child;
      }
      times[i] = time;
      seqs[i] = seq;
      tasks[i] = task;
    }
    return top;
  }

  private void grow() {
    if (times.length >= MAX_EVENTS) {
      throw new IllegalStateException("more than " + MAX_EVENTS + " pending events: the simulated system is overloaded without bound");
    }
    int n = times.length * 2;
    times = Arrays.copyOf(times, n);
    seqs = Arrays.copyOf(seqs, n);
    tasks = Arrays.copyOf(tasks, n);
  }
}
