package io.manifold.http;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * A request's hold on a connection to its dyno: the response head comes (or why none does), and
 * the hold ends exactly once, with {@link #release} once the response has been read to its end,
 * or with {@link #abort} when the exchange broke off or the router gives up on it.
 */
interface DynoLease {
  CompletionStage<HttpResponse> response();

  /** The response has been read to its end: the connection may carry the next request, or close. */
  void release();

  /** The connection closes (a request still waiting on it fails); nothing once the lease is over. */
  void abort();

  /**
   * Whether a response without a body (to HEAD, or 204, 304) has been read whole with its head,
   * so that the lease may be released at once; otherwise its empty body is read first.
   */
  default boolean headIsWhole() {
    return false;
  }
}
