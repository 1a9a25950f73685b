package io.manifold.core.logs;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sends a drain's frames. Core has no network: the node provides the transport (an HTTP client),
 * and the {@link DrainSession} decides what to send, when to retry and what to drop.
 */
@FunctionalInterface
public interface DrainTransport {
  /** POSTs {@code body} with {@code headers}; completes with the HTTP status, or fails. */
  CompletionStage<Integer> post(String url, Map<String, String> headers, byte[] body);

  /** For channels that may have no drains. */
  DrainTransport NONE = (url, headers, body) ->
      CompletableFuture.failedFuture(new IllegalStateException("this node cannot deliver to drains"));
}
