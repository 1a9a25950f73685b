package io.manifold.http;

/**
 * One client connection to the router front. Pekko HTTP does not tell a request's handler that
 * its client went away; the front's per-connection flow does, through this, so that a request
 * waiting in the backlog, the boot queue or on its dyno is let go of at once (H27) and gives back
 * its slot. The connection serves one request at a time.
 */
final class ClientConnection {
  private volatile Exchange current;
  /** The client's address as {@code X-Forwarded-For} and {@code fwd=} give it, read once per connection. */
  private String clientIp;

  void begin(Exchange ex) {
    current = ex;
  }

  /** The request on this connection now, or its last one; null once the connection closed. */
  Exchange current() {
    return current;
  }

  /** The client's IP address; {@code read} finds it on the connection's first request. */
  String clientIp(java.util.function.Supplier<String> read) {
    String ip = clientIp;
    if (ip == null) {
      ip = read.get();
      clientIp = ip;
    }
    return ip;
  }

  /**
   * No more requests will come: the client closed its side, or its last request said so
   * ({@code Connection: close}, HTTP/1.0), in which case it still waits for its answer. Pekko
   * closes both sides of a connection when the client closes one, so a client that closed cannot
   * get its answer any more.
   */
  void requestsEnded() {
    Exchange ex = current;
    if (ex != null && !ex.lastRequest()) {
      closed();
    }
  }

  /** The connection ended (the client closed it, or it failed). */
  void closed() {
    Exchange ex = current;
    current = null;
    if (ex != null) {
      ex.clientGone();
    }
  }
}
