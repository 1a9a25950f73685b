package io.manifold.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one-way delay of every link between the nodes of a local manifold, by node number (from 1),
 * and which node an actor system's UID belongs to: what the {@link LinkProxy}s read for every
 * chunk they relay. A link nobody set has no delay. Links are kept by node number, not by actor
 * system, so a node that joins in place of a lost one is behind the same links, as a new machine
 * plugged into the same cable would be.
 */
final class LinkDelays {
  /** An unknown node: its traffic is not delayed. */
  static final int UNKNOWN = 0;

  private record Delay(long latencyNanos, long jitterNanos) {}

  private final Map<Long, Integer> nodeByUid = new ConcurrentHashMap<>();
  /** By {@link #key(int, int)}; absent means no delay. */
  private final Map<Long, Delay> delays = new ConcurrentHashMap<>();

  /** The actor system with this UID is node {@code node} (the node's earlier systems are forgotten). */
  void register(long uid, int node) {
    nodeByUid.values().removeIf(n -> n == node);
    nodeByUid.put(uid, node);
  }

  /** The node whose actor system has this UID, or {@link #UNKNOWN}. */
  int nodeOf(long uid) {
    return nodeByUid.getOrDefault(uid, UNKNOWN);
  }

  /**
   * Sets the delay of what {@code from} sends to {@code to}: {@code latency}, give or take up to
   * {@code jitter} drawn evenly for each chunk. Zero latency and jitter: no delay.
   */
  void set(int from, int to, Duration latency, Duration jitter) {
    if (latency.isZero() && jitter.isZero()) {
      delays.remove(key(from, to));
    } else {
      delays.put(key(from, to), new Delay(latency.toNanos(), jitter.toNanos()));
    }
  }

  /** The delay for a chunk sent now from {@code from} to {@code to}, in nanoseconds (never negative). */
  long draw(int from, int to) {
    if (from == UNKNOWN || to == UNKNOWN) {
      return 0;
    }
    Delay d = delays.get(key(from, to));
    if (d == null) {
      return 0;
    }
    if (d.jitterNanos() == 0) {
      return d.latencyNanos();
    }
    long j = ThreadLocalRandom.current().nextLong(-d.jitterNanos(), d.jitterNanos() + 1);
    return Math.max(0, d.latencyNanos() + j);
  }

  private static long key(int from, int to) {
    return ((long) from << 32) | (to & 0xffffffffL);
  }
}
