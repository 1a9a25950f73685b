package io.manifold.http.metrics;

import io.manifold.core.routing.AppRoutes;
import io.manifold.core.routing.HCode;
import io.manifold.core.routing.RoutingTable;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntSupplier;

/**
 * The router's figures on one node: requests by app, status and H-code, their latency per app,
 * and (read from the routing table at scrape time, so free on the request path) requests in
 * flight and in the backlog per app, and in the boot queue.
 *
 * <p>Labels are bounded: {@code app} (the apps this router knows), {@code status} (an HTTP
 * status, 100-599) and {@code code} (an H-code, empty when the dyno answered). Never a path or a
 * request id. A served request costs two array reads and two atomic adds: the data points are
 * looked up once per app and status and kept, and there are no exemplars (no trace ids to attach,
 * and sampling them read the clock and the tracer on every request).
 */
public final class RouterMetrics {
  /**
   * Latency buckets in seconds: about 25 % apart from 1 ms to 100 ms, where a p99 must be told
   * apart, then coarser up to Heroku's 30 s request time-out and beyond.
   */
  static final double[] BUCKETS = {
      0.0005, 0.001, 0.00125, 0.0015, 0.00175, 0.002, 0.0025, 0.003, 0.004, 0.005, 0.006, 0.0075,
      0.01, 0.0125, 0.015, 0.0175, 0.02, 0.025, 0.03, 0.04, 0.05, 0.06, 0.075, 0.1,
      0.15, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10, 30, 60};

  private final Counter requests;
  private final Histogram duration;
  private final Map<String, AppSeries> apps = new ConcurrentHashMap<>();
  private volatile IntSupplier bootQueue = () -> 0;

  /** Registers the router's metrics for the apps of {@code table}, in {@code node}'s registry. */
  public RouterMetrics(NodeMetrics node, RoutingTable table) {
    requests = Counter.builder()
        .name("manifold_router_requests_total")
        .help("Requests answered by this router, by app, status and Heroku error code (empty when the dyno answered)")
        .labelNames("app", "status", "code")
        .withoutExemplars()
        .register(node.registry());
    duration = Histogram.builder()
        .name("manifold_router_request_duration_seconds")
        .help("Time from a request's arrival at the router to the end of its answer, by app")
        .unit(Unit.SECONDS)
        .labelNames("app")
        .classicOnly()
        .classicUpperBounds(BUCKETS)
        .withoutExemplars()
        .register(node.registry());
    GaugeWithCallback.builder()
        .name("manifold_router_in_flight_requests")
        .help("Requests this router has in flight to the app's dynos")
        .labelNames("app")
        .callback(cb -> table.all().forEach((app, r) -> cb.call(r.inFlight(), app)))
        .register(node.registry());
    GaugeWithCallback.builder()
        .name("manifold_router_backlog_requests")
        .help("Requests waiting in the app's backlog on this router for a dyno to free up")
        .labelNames("app")
        .callback(cb -> table.all().forEach((app, r) -> cb.call(r.backlog().size(), app)))
        .register(node.registry());
    GaugeWithCallback.builder()
        .name("manifold_router_boot_queue_requests")
        .help("Requests waiting on this router for a web dyno to boot")
        .callback(cb -> cb.call(this.bootQueue.getAsInt()))
        .register(node.registry());
  }

  /** Where the boot queue's length is read (the front sets it when it binds). */
  public void bootQueue(IntSupplier waiting) {
    this.bootQueue = waiting;
  }

  /**
   * One request is over: answered by the dyno ({@code code} null) or by the router with an
   * H-code. {@code receivedNanos} is its {@link System#nanoTime()} at arrival.
   */
  public void record(String app, int status, HCode code, long receivedNanos) {
    AppSeries s = apps.get(app);
    if (s == null) {
      s = apps.computeIfAbsent(app, a -> new AppSeries(a, duration.labelValues(a)));
    }
    s.latency.observe((System.nanoTime() - receivedNanos) / 1e9);
    if (code == null && status >= 0 && status < 600) {
      CounterDataPoint p = s.byStatus.get(status);
      if (p == null) {
        p = requests.labelValues(app, Integer.toString(status), "");
        s.byStatus.set(status, p);
      }
      p.inc();
    } else {
      requests.labelValues(app, status <= 0 ? "" : Integer.toString(status), code == null ? "" : code.name()).inc();
    }
  }

  /** The app is gone: its series go too, so that the label set stays bounded by the apps that exist. */
  public void forget(String app) {
    if (apps.remove(app) != null) {
      duration.remove(app);
      for (int status = 100; status < 600; status++) {
        requests.remove(app, Integer.toString(status), "");
      }
    }
  }

  /** What the router did for one app, for code: requests by outcome, latency, load now. */
  public record AppTraffic(String app, long requests, long errors, double p50Seconds, double p99Seconds,
      int inFlight, int backlog) {}

  /** The app's figures now, from {@code snapshot} and the table's live counts. */
  public static AppTraffic traffic(MetricsSnapshot snapshot, String app, AppRoutes routes) {
    Map<String, String> labels = Map.of("app", app);
    long all = (long) snapshot.counter("manifold_router_requests", labels);
    long served = (long) snapshot.counter("manifold_router_requests", Map.of("app", app, "code", ""));
    return new AppTraffic(app, all, all - served,
        snapshot.quantile("manifold_router_request_duration_seconds", labels, 0.5),
        snapshot.quantile("manifold_router_request_duration_seconds", labels, 0.99),
        routes == null ? 0 : routes.inFlight(), routes == null ? 0 : routes.backlog().size());
  }

  private static final class AppSeries {
    final DistributionDataPoint latency;
    final AtomicReferenceArray<CounterDataPoint> byStatus = new AtomicReferenceArray<>(600);

    AppSeries(String app, DistributionDataPoint latency) {
      this.latency = latency;
    }
  }
}
