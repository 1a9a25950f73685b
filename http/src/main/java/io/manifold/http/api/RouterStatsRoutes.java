package io.manifold.http.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.manifold.http.metrics.RouterStats;
import java.time.Instant;
import java.util.Map;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /manifold/apps/{app}/router-stats}: what the router did for the app over the last
 * second or so (requests per second, p50 and p99 latency, errors by H-code) and since the start,
 * for the console's live charts. Figures that cannot be known yet (the first reading, a window
 * without requests) are {@code null}, not 0.
 */
final class RouterStatsRoutes extends Routes {
  private final RouterStats stats;

  RouterStatsRoutes(ApiContext ctx, NodeInfo node) {
    super(ctx);
    this.stats = new RouterStats(node.metrics());
  }

  Route stats(String app) {
    return get(() -> answer(() -> ctx.app(app).thenApply(h -> ApiContext.json(200, render(stats.read(h.name()))))));
  }

  private static ObjectNode render(RouterStats.Figures f) {
    ObjectNode o = Json.object().put("app", f.app()).put("at", Instant.now().toString());
    o.put("window_seconds", f.windowSeconds());
    number(o, "requests_per_second", f.requestsPerSecond());
    number(o, "p50_ms", f.p50Seconds() * 1000);
    number(o, "p99_ms", f.p99Seconds() * 1000);
    o.set("errors", counts(f.errors()));
    o.put("requests", f.requests());
    o.set("total_errors", counts(f.totalErrors()));
    o.put("in_flight", f.inFlight());
    o.put("backlog", f.backlog());
    return o;
  }

  private static void number(ObjectNode o, String field, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      o.putNull(field);
    } else {
      o.put(field, Math.round(value * 1000) / 1000.0);
    }
  }

  private static ObjectNode counts(Map<String, Long> byCode) {
    ObjectNode o = Json.object();
    byCode.forEach(o::put);
    return o;
  }
}
