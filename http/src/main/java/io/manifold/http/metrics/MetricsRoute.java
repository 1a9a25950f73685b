package io.manifold.http.metrics;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;

import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /metrics}: the node's figures in Prometheus's text format, for the API server to
 * mount beside its other routes. A scrape walks the registry in memory; nothing blocks.
 */
public final class MetricsRoute {
  private static final ContentType TEXT = ContentTypes.parse(NodeMetrics.CONTENT_TYPE);

  private MetricsRoute() {}

  public static Route create(NodeMetrics metrics) {
    return path("metrics", () -> get(() -> complete(
        HttpResponse.create().withEntity(HttpEntities.create(TEXT, metrics.scrape())))));
  }
}
