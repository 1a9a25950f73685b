package io.manifold.http.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;

/**
 * Logplex figures of one node: lines published to each app's channel, and lines dropped (a tail
 * that fell behind, L11; later a drain's L10). A {@link Channel} is looked up once per channel and
 * kept by it, so that counting a line is one atomic add (no exemplars: there are no trace ids to
 * attach, and sampling them read the clock and the tracer on every line, every router request).
 */
public final class LogMetrics {
  private final Counter lines;
  private final Counter dropped;

  public LogMetrics(NodeMetrics metrics) {
    lines = Counter.builder()
        .name("manifold_log_lines_total")
        .help("Log lines published to the app's Logplex channel")
        .labelNames("app")
        .withoutExemplars()
        .register(metrics.registry());
    dropped = Counter.builder()
        .name("manifold_log_dropped_lines_total")
        .help("Log lines the app's channel dropped for a reader that fell behind, by reader kind (tail, drain)")
        .labelNames("app", "reader")
        .withoutExemplars()
        .register(metrics.registry());
  }

  /** The counters of one app's channel. */
  public Channel channel(String app) {
    return new Channel(lines.labelValues(app), dropped.labelValues(app, "tail"), dropped.labelValues(app, "drain"));
  }

  /** One channel's counters. */
  public static final class Channel {
    private final CounterDataPoint lines;
    private final CounterDataPoint tailDrops;
    private final CounterDataPoint drainDrops;

    Channel(CounterDataPoint lines, CounterDataPoint tailDrops, CounterDataPoint drainDrops) {
      this.lines = lines;
      this.tailDrops = tailDrops;
      this.drainDrops = drainDrops;
    }

    /** {@code n} lines were published (after splitting long ones). */
    public void published(int n) {
      lines.inc(n);
    }

    /** A tail lost {@code n} lines (the count its L11 line reports). */
    public void tailDropped(long n) {
      tailDrops.inc(n);
    }

    /** A drain lost {@code n} lines (L10). */
    public void drainDropped(long n) {
      drainDrops.inc(n);
    }
  }
}
