package io.manifold.sim.dist;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A distribution of durations (service times, think times), in nanoseconds. {@link #mean()} is
 * exact where a formula exists, so that a load given as a utilisation ({@code rho}) becomes the
 * right arrival rate. {@link #toString()} gives it back as a study file writes it.
 */
public sealed interface Distribution {

  /** One draw, in nanoseconds, never negative. */
  double sample(RandomGenerator random);

  /** The mean, in nanoseconds. */
  double mean();

  /** Parses a study's notation; see {@link DistributionParser}. */
  static Distribution parse(String text, java.nio.file.Path baseDir) {
    return DistributionParser.parse(text, baseDir);
  }

  record Constant(double value) implements Distribution {
    public Constant {
      requireNonNegative(value, "a constant");
    }

    @Override
    public double sample(RandomGenerator random) {
      return value;
    }

    @Override
    public double mean() {
      return value;
    }

    @Override
    public String toString() {
      return "constant(" + Units.format(value) + ")";
    }
  }

  record Uniform(double min, double max) implements Distribution {
    public Uniform {
      requireNonNegative(min, "min");
      if (max < min) {
        throw new IllegalArgumentException("uniform needs min <= max, but min=" + Units.format(min) + " and max=" + Units.format(max));
      }
    }

    @Override
    public double sample(RandomGenerator random) {
      return min + (max - min) * random.nextDouble();
    }

    @Override
    public double mean() {
      return (min + max) / 2;
    }

    @Override
    public String toString() {
      return "uniform(min=" + Units.format(min) + ", max=" + Units.format(max) + ")";
    }
  }

  record Exponential(double mean) implements Distribution {
    public Exponential {
      requirePositive(mean, "mean");
    }

    @Override
    public double sample(RandomGenerator random) {
      return -mean * Math.log(1.0 - random.nextDouble());
    }

    @Override
    public String toString() {
      return "exponential(mean=" + Units.format(mean) + ")";
    }
  }

  /**
   * The log of the value is normal with {@code mu} and {@code sigma} (of nanoseconds); written as
   * {@code lognormal(median=40ms, p99=400ms)}: median = e^mu, p99 = e^(mu + 2.326 sigma).
   */
  record LogNormal(double mu, double sigma) implements Distribution {
    /** The standard normal's 99th percentile. */
    static final double Z99 = 2.3263478740408408;

    public LogNormal {
      if (!(sigma >= 0) || !Double.isFinite(mu)) {
        throw new IllegalArgumentException("lognormal needs a finite mu and sigma >= 0");
      }
    }

    static LogNormal ofMedianAndP99(double median, double p99) {
      requirePositive(median, "median");
      if (!(p99 >= median)) {
        throw new IllegalArgumentException("lognormal needs p99 >= median, but median=" + Units.format(median) + " and p99=" + Units.format(p99));
      }
      double mu = Math.log(median);
      return new LogNormal(mu, (Math.log(p99) - mu) / Z99);
    }

    @Override
    public double sample(RandomGenerator random) {
      return Math.exp(mu + sigma * random.nextGaussian());
    }

    @Override
    public double mean() {
      return Math.exp(mu + sigma * sigma / 2);
    }

    @Override
    public String toString() {
      return "lognormal(median=" + Units.format(Math.exp(mu)) + ", p99=" + Units.format(Math.exp(mu + Z99 * sigma)) + ")";
    }
  }

  /**
   * Weibull with {@code shape} k and {@code scale} lambda: P(X > x) = exp(-(x/lambda)^k). A shape
   * under 1 is heavy-tailed: the 2013 debate used k = 0.46 with a median of 50 ms.
   */
  record Weibull(double shape, double scale) implements Distribution {
    public Weibull {
      requirePositive(shape, "shape");
      requirePositive(scale, "scale");
    }

    static Weibull ofMedian(double shape, double median) {
      requirePositive(shape, "shape");
      requirePositive(median, "median");
      return new Weibull(shape, median / Math.pow(Math.log(2), 1 / shape));
    }

    @Override
    public double sample(RandomGenerator random) {
      return scale * Math.pow(-Math.log(1.0 - random.nextDouble()), 1 / shape);
    }

    @Override
    public double mean() {
      return scale * Gamma.gamma(1 + 1 / shape);
    }

    public double median() {
      return scale * Math.pow(Math.log(2), 1 / shape);
    }

    @Override
    public String toString() {
      return "weibull(shape=" + Units.trim(shape) + ", median=" + Units.format(median()) + ")";
    }
  }

  /** Values measured elsewhere, each equally likely (the sample's own distribution). */
  record Empirical(double[] values, String source) implements Distribution {
    public Empirical {
      if (values.length == 0) {
        throw new IllegalArgumentException("an empirical distribution needs at least one value");
      }
      values = values.clone();
    }

    @Override
    public double sample(RandomGenerator random) {
      return values[random.nextInt(values.length)];
    }

    @Override
    public double mean() {
      double sum = 0;
      for (double v : values) {
        sum += v;
      }
      return sum / values.length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Empirical e && Arrays.equals(values, e.values) && source.equals(e.source);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values) * 31 + source.hashCode();
    }

    @Override
    public String toString() {
      return "empirical(file=" + source + ")";
    }
  }

  private static void requirePositive(double v, String what) {
    if (!(v > 0) || !Double.isFinite(v)) {
      throw new IllegalArgumentException(what + " must be above zero, not " + v);
    }
  }

  private static void requireNonNegative(double v, String what) {
    if (!(v >= 0) || !Double.isFinite(v)) {
      throw new IllegalArgumentException(what + " must not be negative, not " + v);
    }
  }
}
