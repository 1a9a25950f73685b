package io.manifold.scenarios.chaos.run;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What every request of a run saw, by the moment it was due to be sent (its arrival), in buckets
 * of a second (longer for runs over ten minutes, so that a run keeps at most about 600): counts
 * by outcome, by H-code and by status, and a latency histogram of the requests that got an
 * answer. Windows of a run (during a fault, after recovery, ...) are unions of buckets. The
 * steady state before the first fault is kept apart, request by request: only requests that were
 * due and answered before it are in it, so that a request in flight when the fault fires (whose
 * answer can show the fault) never counts as steady state.
 *
 * <p>Bounded: the buckets are made up front; a request due past the last one lands in it.
 * Recorded from any thread.
 */
public final class Timeline {
  /** Latencies are kept in microseconds, up to an hour, to 2 significant digits. */
  static final long MAX_MICROS = 3_600_000_000L;
  static final int MAX_BUCKETS = 600;

  private final long bucketNanos;
  private final Bucket[] buckets;
  private final long quietUntilNanos;
  private final Bucket quiet = new Bucket();

  /** How a request ended. */
  public enum Kind {
    /** 1xx-3xx. */
    OK,
    /** 4xx. */
    CLIENT_ERROR,
    /** 5xx from the app itself. */
    APP_ERROR,
    /** An answer the router made itself, with an H-code. */
    ROUTER_ERROR,
    /** No HTTP answer: the connection was refused or broke. */
    CONNECTION_ERROR,
    /** Sent, and never answered at all before the run gave up on it. */
    LOST,
    /** Never sent: the generator had as many requests open as it may. */
    NOT_SENT;

    public boolean error() {
      return this != OK && this != CLIENT_ERROR;
    }
  }

  /** One request's end. {@code code} is the H-code, the status, or what broke the connection. */
  public record Outcome(long dueNanos, Kind kind, int status, String code, long latencyNanos) {}

  public Timeline(long lengthNanos) {
    this(lengthNanos, lengthNanos);
  }

  /** @param quietUntilNanos when the first fault fires (the run's length when it has none) */
  public Timeline(long lengthNanos, long quietUntilNanos) {
    this.quietUntilNanos = quietUntilNanos;
    long width = 1_000_000_000L;
    while (lengthNanos / width + 1 > MAX_BUCKETS) {
      width *= 2;
    }
    this.bucketNanos = width;
    int n = (int) (lengthNanos / width) + 1;
    this.buckets = new Bucket[n];
    for (int i = 0; i < n; i++) {
      buckets[i] = new Bucket();
    }
  }

  public long bucketNanos() {
    return bucketNanos;
  }

  public int size() {
    return buckets.length;
  }

  /** Records one request's end. */
  public void record(Outcome o) {
    buckets[index(o.dueNanos())].add(o);
    if (o.dueNanos() + o.latencyNanos() < quietUntilNanos) {
      quiet.add(o);
    }
  }

  /** The requests due and answered before the first fault: the steady state. */
  public Slice quiet() {
    Slice s = new Slice(0, quietUntilNanos);
    quiet.addTo(s);
    return s;
  }

  private int index(long dueNanos) {
    return (int) Math.max(0, Math.min(buckets.length - 1, dueNanos / bucketNanos));
  }

  /** The requests due from {@code fromNanos} (inclusive) to {@code toNanos} (exclusive), bucket-aligned. */
  public Slice slice(long fromNanos, long toNanos) {
    int from = index(fromNanos);
    int to = toNanos >= (long) buckets.length * bucketNanos ? buckets.length : (int) Math.max(from, (toNanos + bucketNanos - 1) / bucketNanos);
    Slice s = new Slice(from * bucketNanos, Math.max(from + 1, to) * bucketNanos);
    for (int i = from; i < Math.max(from + 1, to) && i < buckets.length; i++) {
      buckets[i].addTo(s);
    }
    return s;
  }

  /** Bucket {@code i} alone. */
  public Slice bucket(int i) {
    Slice s = new Slice(i * bucketNanos, (i + 1) * bucketNanos);
    buckets[i].addTo(s);
    return s;
  }

  private static final class Bucket {
    final long[] byKind = new long[Kind.values().length];
    final Map<String, Long> byCode = new TreeMap<>();
    Histogram latency;
    long latencySum;

    synchronized void add(Outcome o) {
      byKind[o.kind().ordinal()]++;
      if (o.code() != null && byCode.size() < 200) {
        byCode.merge(o.code(), 1L, Long::sum);
      }
      if (o.kind() != Kind.LOST && o.kind() != Kind.NOT_SENT && o.kind() != Kind.CONNECTION_ERROR) {
        if (latency == null) {
          latency = new Histogram(MAX_MICROS, 2);
        }
        long micros = Math.max(1, Math.min(MAX_MICROS, o.latencyNanos() / 1000));
        latency.recordValue(micros);
        latencySum += micros;
      }
    }

    synchronized void addTo(Slice s) {
      for (int k = 0; k < byKind.length; k++) {
        s.byKind[k] += byKind[k];
      }
      byCode.forEach((c, n) -> s.byCode.merge(c, n, Long::sum));
      if (latency != null) {
        s.latency.add(latency);
        s.latencySum += latencySum;
      }
    }
  }

  /** The requests of a stretch of the run, summed. */
  public static final class Slice {
    private final long fromNanos;
    private final long toNanos;
    final long[] byKind = new long[Kind.values().length];
    final Map<String, Long> byCode = new TreeMap<>();
    final Histogram latency = new Histogram(MAX_MICROS, 2);
    long latencySum;

    Slice(long fromNanos, long toNanos) {
      this.fromNanos = fromNanos;
      this.toNanos = toNanos;
    }

    public long fromNanos() {
      return fromNanos;
    }

    public long toNanos() {
      return toNanos;
    }

    public long count(Kind k) {
      return byKind[k.ordinal()];
    }

    /** Every request due in the slice, sent or not. */
    public long requests() {
      long n = 0;
      for (long c : byKind) {
        n += c;
      }
      return n;
    }

    public long errors() {
      long n = 0;
      for (Kind k : Kind.values()) {
        if (k.error()) {
          n += byKind[k.ordinal()];
        }
      }
      return n;
    }

    /** Errors over requests; NaN when there were none. */
    public double errorRate() {
      long r = requests();
      return r == 0 ? Double.NaN : (double) errors() / r;
    }

    /** Requests answered without an error, per second of the slice. */
    public double throughput() {
      double seconds = (toNanos - fromNanos) / 1e9;
      return (requests() - errors()) / seconds;
    }

    /** Requests that ended with this H-code, status or connection failure. */
    public long code(String code) {
      return byCode.getOrDefault(code, 0L);
    }

    public Map<String, Long> codes() {
      return Map.copyOf(byCode);
    }

    /** The latency at percentile {@code p} (0-100) in nanoseconds, of the answered requests; NaN if none. */
    public double latency(double p) {
      return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(p) * 1000.0;
    }

    public double maxLatency() {
      return latency.getTotalCount() == 0 ? Double.NaN : latency.getMaxValue() * 1000.0;
    }

    public double meanLatency() {
      return latency.getTotalCount() == 0 ? Double.NaN : latencySum * 1000.0 / latency.getTotalCount();
    }

    public long answered() {
      return latency.getTotalCount();
    }
  }
}
