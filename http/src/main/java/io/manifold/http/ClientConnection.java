package io.manifold.http;

/**
 * One client connection to the router front. Pekko HTTP does not tell a request's handler that
 * its client went away; the front's per-connection flow does, through this, so that a request
 * waiting in the backlog, the boot queue or on its dyno is let go of at once (H27) and gives back
 * its slot. The connection serves one request at a time ({@code pipelining-limit = 1}).
 */
final class ClientConnection {
  private volatile Exchange current;

  void begin(Exchange ex) {
    current = ex;
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
