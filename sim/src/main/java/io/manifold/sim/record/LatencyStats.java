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
    return new LatencyStats(sum / count, percentile(h, 50), percentile(h, 90), percentile(h, 99), percentile(h, 99.9), max);
  }

  /**
   * A percentile in nanoseconds, as the highest value equivalent to it at 3 significant digits;
   * but 0 for the first bucket (below a microsecond, the histogram's resolution), so that requests
   * that never waited show a waiting time of 0 rather than half a microsecond.
   */
  public static double percentile(Histogram h, double p) {
    long v = h.getValueAtPercentile(p);
    return v <= h.highestEquivalentValue(0) ? 0 : v;
  }
}
