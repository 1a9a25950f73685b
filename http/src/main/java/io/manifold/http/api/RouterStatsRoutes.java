package io.manifold.http.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.manifold.http.metrics.RouterReadings;
import io.manifold.http.metrics.RouterStats;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /manifold/apps/{app}/router-stats}: what the routers of every node did for the app
 * over the last second or so (requests per second, p50 and p99 latency, errors by H-code) and
 * since the start, for the console's live charts; the same per node, and the nodes whose figures
 * are missing, with why (unreachable, or no answer in time). Figures that cannot be known yet (the
 * first reading, a window without requests) are {@code null}, not 0.
 */
final class RouterStatsRoutes extends Routes {
  private final RouterReadings routers;

  RouterStatsRoutes(ApiContext ctx, NodeInfo node) {
    super(ctx);
    this.routers = node.routers();
  }

  Route stats(String app) {
    return get(() -> answer(() -> ctx.app(app).thenCompose(h -> routers.read(h.name())
        .thenApply(gathered -> ApiContext.json(200, render(h.name(), gathered))))));
  }

  private static ObjectNode render(String app, RouterReadings.Gathered gathered) {
    RouterStats.Figures all = RouterStats.merge(app, gathered.windows());
    ObjectNode o = figures(Json.object().put("app", all.app()).put("at", Instant.now().toString()), all);
    ArrayNode nodes = o.putArray("nodes");
    gathered.windows().stream().sorted(Comparator.comparing(RouterStats.Window::node))
        .forEach(w -> nodes.add(figures(Json.object().put("node", w.node()), w.figures())));
    ArrayNode missing = o.putArray("missing");
    new TreeMap<>(gathered.missing()).forEach((name, why) -> missing.addObject().put("node", name).put("reason", why));
    return o;
  }

  private static ObjectNode figures(ObjectNode o, RouterStats.Figures f) {
    o.put("window_seconds", Math.round(f.windowSeconds() * 1000) / 1000.0);
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
