package io.manifold.http;

import io.manifold.core.routing.HCode;
import io.manifold.http.metrics.RouterMetrics;
import org.apache.pekko.event.BusLogging;
import org.apache.pekko.event.LoggingBus;

/**
 * The log a router front binds with. Besides logging, it is how {@link HerokuParsingErrors} (made
 * by Pekko, with nothing but this log in hand) reaches the front's metrics.
 */
final class FrontLog extends BusLogging {
  private final RouterMetrics metrics;

  FrontLog(LoggingBus bus, RouterMetrics metrics) {
    super(bus, "manifold.router", RouterFront.class);
    this.metrics = metrics;
  }

  /** Pekko's parser refused a request: H26, under no app. */
  void refused(int status, String cause) {
    metrics.record("", status, HCode.H26, System.nanoTime());
    if (isInfoEnabled()) {
      info("at=error code=H26 desc=\"Request Error\" cause=\"{}\" status={}", cause.replace('"', '\''), status);
    }
  }
}
