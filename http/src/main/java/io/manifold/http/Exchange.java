package io.manifold.http;

import io.manifold.core.routing.HCode;
import io.manifold.core.routing.RouterLine;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * One request's passage through the router: what the router line needs to say about it. Created
 * when the request arrives; each path through the router ends by writing its line.
 */
final class Exchange {
  final String method;
  final String path;
  final String host;
  final String requestId;
  final String fwd;
  final long receivedMillis;
  final long receivedNanos;
  String dyno;
  long sentNanos = -1;

  Exchange(HttpRequest request, String host, String requestId, String fwd) {
    this.method = request.method().value();
    String query = request.getUri().rawQueryString().orElse(null);
    this.path = request.getUri().path() + (query == null ? "" : "?" + query);
    this.host = host;
    this.requestId = requestId;
    this.fwd = fwd;
    this.receivedMillis = System.currentTimeMillis();
    this.receivedNanos = System.nanoTime();
  }

  /** A request answered by a dyno: {@code at=info}, or an error code if the answer broke. */
  RouterLine served(HCode code, String sock, int status, long bytes) {
    return new RouterLine(code, sock, method, path, host, requestId, fwd, dyno, 0, serviceMillis(), status, bytes, "http");
  }

  /** A request the router answered itself, without a dyno's response. */
  RouterLine failed(HCode code, int status) {
    long service = dyno == null ? -1 : serviceMillis();
    return new RouterLine(code, null, method, path, host, requestId, fwd, dyno, dyno == null ? -1 : 0, service, status, dyno == null ? -1 : 0, "http");
  }

  long serviceMillis() {
    long from = sentNanos >= 0 ? sentNanos : receivedNanos;
    return (System.nanoTime() - from) / 1_000_000;
  }
}
