package io.manifold.sim.stats;

/**
 * A quantity estimated from independent replications: their mean and the half-width of its
 * confidence interval by Student's t ({@code mean +- halfWidth}). With one replication the
 * half-width is unknown (NaN).
 */
public record Estimate(double mean, double halfWidth, int n) {
  /** The confidence level of every interval Manifold reports. */
  public static final double CONFIDENCE = 0.95;

  public static Estimate of(double[] values) {
    return of(values, CONFIDENCE);
  }

  public static Estimate of(double[] values, double confidence) {
    int n = values.length;
    if (n == 0) {
      return new Estimate(Double.NaN, Double.NaN, 0);
    }
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    double mean = sum / n;
    if (n == 1) {
      return new Estimate(mean, Double.NaN, 1);
    }
    double ss = 0;
    for (double v : values) {
      ss += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(ss / (n - 1));
    double t = StudentT.quantile(1 - (1 - confidence) / 2, n - 1);
    return new Estimate(mean, t * sd / Math.sqrt(n), n);
  }

  public double lower() {
    return mean - halfWidth;
  }

  public double upper() {
    return mean + halfWidth;
  }

  /** Whether {@code x} lies in the interval. */
  public boolean covers(double x) {
    return Math.abs(x - mean) <= halfWidth;
  }

  /** The same estimate in other units. */
  public Estimate scaled(double factor) {
    return new Estimate(mean * factor, halfWidth * factor, n);
  }
}
