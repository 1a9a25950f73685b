package io.manifold.http.api;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** A route whose real content is set once the server knows its port; 503 until then. */
final class DeferredRoute extends AllDirectives {
  private final AtomicReference<Route> inner;

  DeferredRoute(AtomicReference<Route> inner) {
    this.inner = inner;
  }

  Route route() {
    return extractRequestContext(rc -> {
      Route r = inner.get();
      return r != null ? r : complete(HttpResponse.create().withStatus(503));
    });
  }
}
