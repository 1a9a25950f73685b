package io.manifold.http;

import io.manifold.core.routing.AppRoutes;
import io.manifold.core.routing.HCode;
import io.manifold.core.routing.RouterLine;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * One request's passage through the router: what its router line needs, and who answers it.
 * Whoever {@link #settle}s first answers the client (the dyno's response, an error page, or
 * nothing because the client is gone); every later answer is dropped. Each stage that holds the
 * request sets {@link #onClientGone}, so that a client that closes its connection early takes
 * the request out of wherever it waits (H27).
 */
final class Exchange {
  final HttpRequest request;
  final String method;
  final String path;
  final String host;
  final String requestId;
  final String fwd;
  final long receivedMillis;
  final long receivedNanos;
  final CompletableFuture<HttpResponse> answer = new CompletableFuture<>();
  private final AtomicBoolean settled = new AtomicBoolean();
  volatile AppRoutes routes;
  volatile String dyno;
  volatile long sentNanos = -1;
  /** Its exchange with a dyno, once it has a slot on one (for {@link RequestTimeouts}). */
  volatile DynoCall call;
  /** H27 or H28 when the client broke off or stalled its request body. */
  volatile HCode clientFault;
  private volatile Runnable onClientGone;
  private volatile boolean clientLeft;

  Exchange(HttpRequest request, String host, String path, String requestId, String fwd) {
    this.request = request;
    this.method = request.method().value();
    this.path = path;
    this.host = host;
    this.requestId = requestId;
    this.fwd = fwd;
    this.receivedMillis = System.currentTimeMillis();
    this.receivedNanos = System.nanoTime();
  }

  /** The client said this is its connection's last request: the request side ends after it. */
  boolean lastRequest() {
    return lastRequest(request);
  }

  /** {@code request} says it is its connection's last: HTTP/1.0, or {@code Connection: close}. */
  static boolean lastRequest(HttpRequest request) {
    if (request.protocol().value().equals("HTTP/1.0")) {
      return true;
    }
    org.apache.pekko.http.javadsl.model.headers.Connection connection =
        ModelHeaders.find(request, org.apache.pekko.http.javadsl.model.headers.Connection.class);
    return connection != null && mentionsClose(connection.value());
  }

  /** Whether a Connection value names {@code close}, in any case (without lower-casing a copy). */
  private static boolean mentionsClose(String value) {
    for (int i = 0; i + 5 <= value.length(); i++) {
      if (value.regionMatches(true, i, "close", 0, 5)) {
        return true;
      }
    }
    return false;
  }

  /** True for the one caller that may answer the client. */
  boolean settle() {
    return !settled.get() && settled.compareAndSet(false, true);
  }

  boolean settled() {
    return settled.get();
  }

  /**
   * What to do if the client leaves while the request is where the caller put it; runs at once if
   * the client already left. A hook may run twice (when the two race) and must be idempotent.
   */
  void onClientGone(Runnable hook) {
    onClientGone = hook;
    if (clientLeft) {
      hook.run();
    }
  }

  /** The client closed its connection: whatever holds the request lets go of it. */
  void clientGone() {
    clientLeft = true;
    Runnable hook = onClientGone;
    if (hook != null) {
      hook.run();
    }
  }

  /** A request a dyno answered: {@code at=info}, or an error code if the answer broke. */
  RouterLine served(HCode code, String sock, int status, long bytes) {
    return new RouterLine(code, sock, null, method, path, host, requestId, fwd, dyno, 0, serviceMillis(), status, bytes, "http");
  }

  /** A request the router answered itself, without a dyno's response. */
  RouterLine failed(HCode code, String sock, int status, String cause) {
    String d = dyno;
    long service = d == null ? -1 : serviceMillis();
    return new RouterLine(code, sock, cause, method, path, host, requestId, fwd, d, d == null ? -1 : 0, service, status,
        d == null ? -1 : 0, "http");
  }

  long serviceMillis() {
    long from = sentNanos >= 0 ? sentNanos : receivedNanos;
    return (System.nanoTime() - from) / 1_000_000;
  }
}
