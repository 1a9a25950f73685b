package io.manifold.http.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * An app's router figures over the last second or so, for the console's live charts: requests per
 * second, p50 and p99 latency and errors by H-code, between the newest sample taken at least
 * {@link #WINDOW} ago and now, as Prometheus's {@code rate()} and {@code histogram_quantile()}
 * would compute them over a range. The samples are the readings themselves, kept per app, so that
 * several readers (browser tabs, other nodes' APIs) share them and nothing runs when nobody looks.
 *
 * <p>Each router counts only what went through it, so a manifold's figures are its nodes'
 * {@link Window}s {@link #merge merged}: counts and rates summed, and the latency quantiles taken
 * from the sum of the windows' histogram buckets (quantiles themselves cannot be averaged).
 *
 * <p>Bounded: per app at most {@link #MAX_SAMPLES} samples, none older than {@link #KEEP}; an app
 * nobody asked about for {@link #KEEP} is forgotten.
 */
public final class RouterStats {
  static final long WINDOW = 1_000_000_000L;
  static final long KEEP = 10_000_000_000L;
  static final long SPACING = 200_000_000L;
  static final int MAX_SAMPLES = 64;
  private static final String REQUESTS = "manifold_router_requests";
  private static final String DURATION = "manifold_router_request_duration_seconds";

  /**
   * The app's figures now.
   *
   * @param windowSeconds what the rates and quantiles cover (the longest of the nodes' windows); 0
   *     on the first reading (nothing to compare with)
   * @param requestsPerSecond NaN on the first reading
   * @param p50Seconds NaN when no request ended in the window
   * @param errors requests the router answered with an H-code in the window, by code
   * @param requests every request since the node started (or the app was created)
   * @param totalErrors every H-code answer since then, by code
   */
  public record Figures(String app, double windowSeconds, double requestsPerSecond, double p50Seconds, double p99Seconds,
      Map<String, Long> errors, long requests, Map<String, Long> totalErrors, long inFlight, long backlog) {}

  /**
   * What one node's router did for an app in its last window, as counts that can be added to
   * other nodes' (it crosses nodes: plain fields only).
   *
   * @param seconds the window's length; 0 on the first reading, when only the totals are known
   * @param requests requests that ended in the window
   * @param errors those the router answered with an H-code, by code
   * @param upperBounds the latency histogram's finite bucket bounds, in seconds
   * @param counts requests that ended in the window per bucket: one per bound, and a last one
   *     above the highest (empty when the app has had no request on this node)
   */
  public record Window(String node, String app, double seconds, long requests, Map<String, Long> errors,
      double[] upperBounds, long[] counts, long totalRequests, Map<String, Long> totalErrors, long inFlight, long backlog) {

    /** This node's own figures. */
    public Figures figures() {
      return merge(app, List.of(this));
    }
  }

  /** One reading of the app's counters. */
  private record Sample(long nanos, long requests, Map<String, Long> byCode, ClassicHistogramBuckets latency) {}

  private final String node;
  private final NodeMetrics metrics;
  private final LongSupplier clock;
  private final Map<String, Deque<Sample>> samples = new ConcurrentHashMap<>();

  /** @param node the node's name, which its windows carry */
  public RouterStats(String node, NodeMetrics metrics) {
    this(node, metrics, System::nanoTime);
  }

  /** @param clock nanoseconds, as {@link System#nanoTime()} (tests move it by hand) */
  RouterStats(String node, NodeMetrics metrics, LongSupplier clock) {
    this.node = node;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** This node's figures for the app now. */
  public Figures read(String app) {
    return window(app).figures();
  }

  /** What this node's router did for the app since the newest sample at least a second old. */
  public Window window(String app) {
    long now = clock.getAsLong();
    forgetIdle(now);
    MetricsSnapshot snapshot = metrics.snapshot("manifold_router_");
    Map<String, String> labels = Map.of("app", app);
    Map<String, Long> byCode = new TreeMap<>();
    snapshot.counterBy(REQUESTS, labels, "code").forEach((code, n) -> {
      if (!code.isEmpty()) {
        byCode.put(code, n.longValue());
      }
    });
    Sample current = new Sample(now, (long) snapshot.counter(REQUESTS, labels), byCode, snapshot.buckets(DURATION, labels));
    Sample base = remember(app, current);
    long inFlight = (long) snapshot.gauge("manifold_router_in_flight_requests", labels);
    long backlog = (long) snapshot.gauge("manifold_router_backlog_requests", labels);
    if (base == null) {
      return new Window(node, app, 0, 0, Map.of(), new double[0], new long[0], current.requests, byCode, inFlight, backlog);
    }
    double seconds = (now - base.nanos) / 1e9;
    ClassicHistogramBuckets latency = difference(current.latency, base.latency);
    Map<String, Long> errors = new TreeMap<>();
    byCode.forEach((code, n) -> {
      long d = n - base.byCode.getOrDefault(code, 0L);
      if (d > 0) {
        errors.put(code, d);
      }
    });
    int finite = Math.max(0, latency.size() - 1); // the last bucket is +Inf
    double[] bounds = new double[finite];
    long[] counts = new long[latency.size()];
    for (int i = 0; i < latency.size(); i++) {
      if (i < finite) {
        bounds[i] = latency.getUpperBound(i);
      }
      counts[i] = latency.getCount(i);
    }
    return new Window(node, app, seconds, Math.max(0, current.requests - base.requests), errors, bounds, counts,
        current.requests, byCode, inFlight, backlog);
  }

  /**
   * The app's figures over several nodes' windows: requests, errors and their rates summed (each
   * node's count over its own window), the quantiles of the summed latency buckets. A node on its
   * first reading adds its totals and load but no rate.
   */
  public static Figures merge(String app, List<Window> windows) {
    double longest = 0;
    double rate = 0;
    boolean anyWindow = false;
    Map<String, Long> errors = new TreeMap<>();
    Map<String, Long> totalErrors = new TreeMap<>();
    TreeMap<Double, Long> buckets = new TreeMap<>();
    long overflow = 0;
    long requests = 0;
    long inFlight = 0;
    long backlog = 0;
    for (Window w : windows) {
      requests += w.totalRequests();
      inFlight += w.inFlight();
      backlog += w.backlog();
      w.totalErrors().forEach((code, n) -> totalErrors.merge(code, n, Long::sum));
      if (w.seconds() <= 0) {
        continue;
      }
      anyWindow = true;
      longest = Math.max(longest, w.seconds());
      rate += w.requests() / w.seconds();
      w.errors().forEach((code, n) -> errors.merge(code, n, Long::sum));
      for (int i = 0; i < w.counts().length; i++) {
        if (i < w.upperBounds().length) {
          buckets.merge(w.upperBounds()[i], w.counts()[i], Long::sum);
        } else {
          overflow += w.counts()[i];
        }
      }
    }
    if (!anyWindow) {
      return new Figures(app, 0, Double.NaN, Double.NaN, Double.NaN, Map.of(), requests, totalErrors, inFlight, backlog);
    }
    double[] bounds = new double[buckets.size() + 1];
    long[] counts = new long[buckets.size() + 1];
    int i = 0;
    for (Map.Entry<Double, Long> b : buckets.entrySet()) {
      bounds[i] = b.getKey();
      counts[i++] = b.getValue();
    }
    bounds[i] = Double.POSITIVE_INFINITY;
    counts[i] = overflow;
    ClassicHistogramBuckets latency = ClassicHistogramBuckets.of(bounds, counts);
    return new Figures(app, longest, rate, MetricsSnapshot.quantile(latency, 0.5), MetricsSnapshot.quantile(latency, 0.99),
        errors, requests, totalErrors, inFlight, backlog);
  }

  /** Keeps {@code current} (unless a sample was kept moments ago) and returns what to compare it with. */
  private Sample remember(String app, Sample current) {
    Deque<Sample> history = samples.computeIfAbsent(app, a -> new ArrayDeque<>());
    synchronized (history) {
      while (!history.isEmpty() && current.nanos - history.peekFirst().nanos > KEEP) {
        history.removeFirst();
      }
      Sample base = null;
      for (Iterator<Sample> newestFirst = history.descendingIterator(); newestFirst.hasNext(); ) {
        Sample s = newestFirst.next();
        base = s;
        if (current.nanos - s.nanos >= WINDOW) {
          break;
        }
      }
      if (base != null && current.nanos - base.nanos < SPACING) {
        base = null; // read moments ago: a rate over a few milliseconds would say nothing
      }
      if (base != null && current.requests < base.requests) {
        base = null; // the app's series started again (the app was deleted and made anew)
        history.clear();
      }
      if (history.isEmpty() || current.nanos - history.peekLast().nanos >= SPACING) {
        history.addLast(current);
        if (history.size() > MAX_SAMPLES) {
          history.removeFirst();
        }
      }
      return base;
    }
  }

  private void forgetIdle(long now) {
    samples.entrySet().removeIf(e -> {
      synchronized (e.getValue()) {
        Sample last = e.getValue().peekLast();
        return last == null || now - last.nanos > KEEP;
      }
    });
  }

  /** How many apps have samples kept (for tests of the bound). */
  int appsKept() {
    return samples.size();
  }

  /** What was added to each bucket between two readings (same bounds: one histogram's buckets never change). */
  static ClassicHistogramBuckets difference(ClassicHistogramBuckets now, ClassicHistogramBuckets before) {
    if (now.isEmpty()) {
      return now;
    }
    double[] bounds = new double[now.size()];
    long[] counts = new long[now.size()];
    boolean comparable = before.size() == now.size();
    for (int i = 0; i < now.size(); i++) {
      bounds[i] = now.getUpperBound(i);
      counts[i] = Math.max(0, now.getCount(i) - (comparable ? before.getCount(i) : 0));
    }
    return ClassicHistogramBuckets.of(bounds, counts);
  }
}
