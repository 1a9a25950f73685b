package io.manifold.http.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One node's metrics: a Prometheus registry of its own (several nodes may share a JVM in tests
 * and scenarios), with the JVM's basics. The router ({@link RouterMetrics}) and the binders
 * ({@link DynoMetrics}, {@link LogMetrics}, {@link ClusterMetrics}) register into it;
 * {@link MetricsRoute} serves it as {@code /metrics}, and {@link #snapshot()} gives the same
 * figures to code (the console, scenario reports).
 */
public final class NodeMetrics {
  /** Prometheus's text format, version 0.0.4. */
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();

  public NodeMetrics() {
    JvmMetrics.builder().register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** Every figure now, for code. */
  public MetricsSnapshot snapshot() {
    return new MetricsSnapshot(registry.scrape());
  }

  /** The figures whose names start with {@code prefix} (cheaper than all: no JVM figures). */
  public MetricsSnapshot snapshot(String prefix) {
    return new MetricsSnapshot(registry.scrape(name -> name.startsWith(prefix)));
  }

  /** Every figure now, in Prometheus's text format. */
  public byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      text.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    }
    return out.toByteArray();
  }
}
