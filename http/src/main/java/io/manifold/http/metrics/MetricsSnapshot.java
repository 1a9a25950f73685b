package io.manifold.http.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node's figures at one moment, for code: the console and scenario reports read the numbers
 * that {@code /metrics} shows, from the same registry. Names are the Prometheus names without
 * suffixes ({@code manifold_router_requests} for {@code manifold_router_requests_total}); a
 * figure is summed over every series whose labels include the given ones, so that
 * {@code counter("manifold_router_requests", Map.of("app", "shop"))} is all of the app's requests.
 */
public final class MetricsSnapshot {
  private final MetricSnapshots snapshots;

  MetricsSnapshot(MetricSnapshots snapshots) {
    this.snapshots = snapshots;
  }

  /** The raw Prometheus snapshots, for anything the helpers do not cover. */
  public MetricSnapshots raw() {
    return snapshots;
  }

  /** A counter's total over the matching series; 0 when none matches. */
  public double counter(String name, Map<String, String> labels) {
    double sum = 0;
    MetricSnapshot m = find(name);
    if (m instanceof CounterSnapshot c) {
      for (CounterSnapshot.CounterDataPointSnapshot p : c.getDataPoints()) {
        if (matches(p, labels)) {
          sum += p.getValue();
        }
      }
    }
    return sum;
  }

  /** A gauge's value summed over the matching series; 0 when none matches. */
  public double gauge(String name, Map<String, String> labels) {
    double sum = 0;
    MetricSnapshot m = find(name);
    if (m instanceof GaugeSnapshot g) {
      for (GaugeSnapshot.GaugeDataPointSnapshot p : g.getDataPoints()) {
        if (matches(p, labels)) {
          sum += p.getValue();
        }
      }
    }
    return sum;
  }

  /**
   * A counter's totals over the matching series, by the value of one more label: the app's
   * requests by {@code code}, say. Series without that label count under {@code ""}.
   */
  public Map<String, Double> counterBy(String name, Map<String, String> labels, String byLabel) {
    Map<String, Double> sums = new TreeMap<>();
    if (find(name) instanceof CounterSnapshot c) {
      for (CounterSnapshot.CounterDataPointSnapshot p : c.getDataPoints()) {
        if (matches(p, labels)) {
          String key = p.getLabels().contains(byLabel) ? p.getLabels().get(byLabel) : "";
          sums.merge(key, p.getValue(), Double::sum);
        }
      }
    }
    return sums;
  }

  /**
   * The classic buckets of one histogram series (counts per bucket, not cumulative), or
   * {@link ClassicHistogramBuckets#EMPTY} when no series matches.
   */
  public ClassicHistogramBuckets buckets(String name, Map<String, String> labels) {
    if (find(name) instanceof HistogramSnapshot h) {
      for (HistogramSnapshot.HistogramDataPointSnapshot p : h.getDataPoints()) {
        if (matches(p, labels) && p.hasClassicHistogramData()) {
          return p.getClassicBuckets();
        }
      }
    }
    return ClassicHistogramBuckets.EMPTY;
  }

  /** How many observations a histogram has over the matching series. */
  public long histogramCount(String name, Map<String, String> labels) {
    long n = 0;
    MetricSnapshot m = find(name);
    if (m instanceof HistogramSnapshot h) {
      for (HistogramSnapshot.HistogramDataPointSnapshot p : h.getDataPoints()) {
        if (matches(p, labels)) {
          n += p.getCount();
        }
      }
    }
    return n;
  }

  /**
   * A quantile (0.99 for p99) of one histogram series, as Prometheus's
   * {@code histogram_quantile} estimates it: linear within the bucket it falls in. NaN when the
   * series has no observation.
   */
  public double quantile(String name, Map<String, String> labels, double q) {
    MetricSnapshot m = find(name);
    if (!(m instanceof HistogramSnapshot h)) {
      return Double.NaN;
    }
    for (HistogramSnapshot.HistogramDataPointSnapshot p : h.getDataPoints()) {
      if (matches(p, labels) && p.hasClassicHistogramData()) {
        return quantile(p.getClassicBuckets(), q);
      }
    }
    return Double.NaN;
  }

  static double quantile(ClassicHistogramBuckets buckets, double q) {
    long total = 0;
    for (int i = 0; i < buckets.size(); i++) {
      total += buckets.getCount(i); // counts per bucket, not cumulative, in this model
    }
    if (total == 0) {
      return Double.NaN;
    }
    double rank = q * total;
    long below = 0;
    double lower = 0;
    for (int i = 0; i < buckets.size(); i++) {
      long inBucket = buckets.getCount(i);
      double upper = buckets.getUpperBound(i);
      if (below + inBucket >= rank && inBucket > 0) {
        if (Double.isInfinite(upper)) {
          return lower; // as histogram_quantile: the highest finite bound
        }
        return lower + (upper - lower) * ((rank - below) / inBucket);
      }
      below += inBucket;
      lower = upper;
    }
    return lower;
  }

  private MetricSnapshot find(String name) {
    for (MetricSnapshot m : snapshots) {
      if (m.getMetadata().getName().equals(name) || m.getMetadata().getPrometheusName().equals(name)) {
        return m;
      }
    }
    return null;
  }

  private static boolean matches(DataPointSnapshot p, Map<String, String> wanted) {
    Labels labels = p.getLabels();
    for (Map.Entry<String, String> e : wanted.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
