package io.manifold.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.manifold.core.dyno.DynoState;
import io.manifold.http.metrics.MetricsRoute;
import io.manifold.http.metrics.RouterMetrics;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code /metrics} after a known sequence of requests, and the same figures read by code. */
@ExtendWith(LogCapturingExtension.class)
class MetricsScrapeTest {
  static final ActorTestKit kit = ActorTestKit.create("metrics-scrape", ConfigFactory.load());

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private final FrontHarness h = new FrontHarness(kit);
  private ServerBinding api;

  @AfterEach
  void close() throws Exception {
    if (api != null) {
      api.unbind().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
    h.close();
  }

  @Test
  void aScrapeCountsRequestsByStatusAndCodeWithLatencyAndLoadPerApp() throws Exception {
    h.front(s -> s);
    h.dyno("web.1", DynoState.UP, h.backends.echo("web.1"));
    h.awaitUp(1);
    for (int i = 0; i < 3; i++) {
      assertEquals(200, h.get("/ok").statusCode());
    }
    assertTrue(h.raw("POST / HTTP/1.1", "Host: shop.localhost", "Expect: nothing-good", "Content-Length: 0").startsWith("HTTP/1.1 417"));
    for (int i = 0; i < 4; i++) {
      h.line(); // every request is over, and so recorded, once its line is out
    }

    api = Http.get(kit.system()).newServerAt("127.0.0.1", 0).bind(MetricsRoute.create(h.node))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    HttpResponse<String> scrape = FrontHarness.client.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + api.localAddress().getPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, scrape.statusCode());
    assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
    String text = scrape.body();
    assertTrue(text.contains("manifold_router_requests_total{app=\"shop\",code=\"\",status=\"200\"} 3"), text);
    assertTrue(text.contains("manifold_router_requests_total{app=\"shop\",code=\"H26\",status=\"417\"} 1"), text);
    assertTrue(text.contains("manifold_router_request_duration_seconds_count{app=\"shop\"} 4"), text);
    assertTrue(text.contains("manifold_router_request_duration_seconds_bucket{app=\"shop\",le=\"0.00125\"}"), "fine buckets: " + text);
    assertTrue(text.contains("manifold_router_in_flight_requests{app=\"shop\"} 0"), text);
    assertTrue(text.contains("manifold_router_backlog_requests{app=\"shop\"} 0"), text);
    assertTrue(text.contains("manifold_router_boot_queue_requests 0"), text);
    assertTrue(text.contains("jvm_memory_used_bytes"), "JVM basics");
    assertTrue(!text.contains("/ok") && !text.contains("request_id"), "no paths, no request ids");

    RouterMetrics.AppTraffic traffic = RouterMetrics.traffic(h.node.snapshot(), "shop", h.routes());
    assertEquals(4, traffic.requests());
    assertEquals(1, traffic.errors());
    assertTrue(traffic.p99Seconds() > 0 && traffic.p99Seconds() < 30, "p99 " + traffic.p99Seconds());
    assertEquals(0, traffic.inFlight());
  }
}
