package io.manifold.sim.record;

import org.HdrHistogram.Histogram;

/**
 * Summary of one latency distribution, in nanoseconds: the mean from the exact sum, the
 * percentiles from the histogram (to 3 significant digits), the max exact.
 */
public record LatencyStats(double mean, double p50, double p90, double p99, double p999, double max) {
  public static final LatencyStats EMPTY = new LatencyStats(0, 0, 0, 0, 0, 0);

  static LatencyStats of(Histogram h, double sum, long count, long max) {
    if (count == 0) {
      return EMPTY;
    }
    return new LatencyStats(sum / count,
        h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
        h.getValueAtPercentile(99.9), max);
  }
}
