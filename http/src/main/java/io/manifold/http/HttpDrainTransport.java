package io.manifold.http;

import io.manifold.core.logs.DrainTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Delivers Logplex drain frames over HTTP(S) with the JDK's client: 5 s to connect, 10 s for the
 * drain to answer; one frame in flight per drain, as {@code DrainSession} sends them.
 */
public final class HttpDrainTransport implements DrainTransport {
  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();

  @Override
  public CompletionStage<Integer> post(String url, Map<String, String> headers, byte[] body) {
    HttpRequest.Builder b;
    try {
      b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    headers.forEach(b::header);
    return client.sendAsync(b.build(), HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
  }
}
