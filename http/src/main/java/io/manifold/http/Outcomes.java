package io.manifold.http;

import io.manifold.core.routing.AppRoutes;
import io.manifold.core.routing.HCode;
import io.manifold.core.routing.RouterLine;
import io.manifold.http.metrics.RouterMetrics;
import java.time.Instant;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * How a request ended, told twice: the router line to the app's log channel (Heroku's format) and
 * the node's metrics. Every path through the router ends here exactly once. The lines go in
 * batches ({@link RouterLogs}).
 */
final class Outcomes {
  /** The H-code of an answer the router made itself. */
  static final String CODE_HEADER = "X-Manifold-Code";
  private final RouterMetrics metrics;
  private final RouterLogs logs;

  Outcomes(RouterMetrics metrics, RouterLogs logs) {
    this.metrics = metrics;
    this.logs = logs;
  }

  /** The dyno answered: {@code code} null for a complete answer, or why it broke off. */
  void served(Exchange ex, HCode code, String sock, int status, long bytes) {
    report(ex, ex.served(code, sock, status, bytes), status, code);
  }

  /** The router answers the client itself, with {@code code}'s page (the app's, if it has one). */
  HttpResponse refused(Exchange ex, HCode code, int status, String cause) {
    report(ex, ex.failed(code, null, status, cause), status, code);
    AppRoutes routes = ex.routes;
    HttpResponse page = switch (code) {
      case H80 -> ErrorPages.maintenance(routes.settings());
      case H26 -> ErrorPages.badRequest(status);
      default -> ErrorPages.applicationError(status, routes == null ? null : routes.settings());
    };
    // Not Heroku's: the code in a header, so that a client (the scenario runner's load, a test)
    // can tell the router's H12 from the app's own 503 without reading the logs
    return page.addHeader(RawHeader.create(CODE_HEADER, code.name()));
  }

  /** The client went away before its answer (H27); nothing is sent. */
  void clientGone(Exchange ex) {
    report(ex, ex.failed(HCode.H27, "client", HCode.H27.status(), null), HCode.H27.status(), HCode.H27);
  }

  private void report(Exchange ex, RouterLine line, int status, HCode code) {
    AppRoutes routes = ex.routes;
    if (routes != null) {
      logs.publish(routes.app(), routes.logs(), line.toLogLine(Instant.now()));
      metrics.record(routes.app(), status, code, ex.receivedNanos);
    }
  }
}
