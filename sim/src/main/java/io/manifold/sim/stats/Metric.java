package io.manifold.sim.stats;

import io.manifold.sim.record.LatencyStats;
import io.manifold.sim.record.RunMetrics;
import java.util.function.ToDoubleFunction;

/**
 * The figures reported per run and, with confidence intervals, per cell. Times in milliseconds.
 */
public enum Metric {
  RESPONSE_MEAN("response_mean_ms", "mean", r -> ms(r.response().mean())),
  RESPONSE_P50("response_p50_ms", "p50", r -> ms(r.response().p50())),
  RESPONSE_P90("response_p90_ms", "p90", r -> ms(r.response().p90())),
  RESPONSE_P99("response_p99_ms", "p99", r -> ms(r.response().p99())),
  RESPONSE_P999("response_p999_ms", "p99.9", r -> ms(r.response().p999())),
  RESPONSE_MAX("response_max_ms", "max", r -> ms(r.response().max())),
  QUEUE_MEAN("queue_mean_ms", "queue mean", r -> ms(r.queue().mean())),
  QUEUE_P50("queue_p50_ms", "queue p50", r -> ms(r.queue().p50())),
  QUEUE_P90("queue_p90_ms", "queue p90", r -> ms(r.queue().p90())),
  QUEUE_P99("queue_p99_ms", "queue p99", r -> ms(r.queue().p99())),
  QUEUE_P999("queue_p999_ms", "queue p99.9", r -> ms(r.queue().p999())),
  QUEUE_MAX("queue_max_ms", "queue max", r -> ms(r.queue().max())),
  THROUGHPUT("throughput_per_s", "throughput/s", RunMetrics::throughput),
  QUEUED_SHARE("queued_share", "queued", RunMetrics::queuedShare),
  ERROR_SHARE("error_share", "errors", r -> r.requests() == 0 ? 0 : (double) r.errors() / r.requests());

  private final String column;
  private final String label;
  private final ToDoubleFunction<RunMetrics> value;

  Metric(String column, String label, ToDoubleFunction<RunMetrics> value) {
    this.column = column;
    this.label = label;
    this.value = value;
  }

  /** The column's name in CSV files. */
  public String column() {
    return column;
  }

  /** A short name for tables. */
  public String label() {
    return label;
  }

  public double of(RunMetrics m) {
    return value.applyAsDouble(m);
  }

  private static double ms(double nanos) {
    return nanos / 1e6;
  }

  /** For callers that want the stats object itself. */
  public static LatencyStats response(RunMetrics m) {
    return m.response();
  }
}
