package io.manifold.http.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.manifold.testing.Processes;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Log sessions and their server-sent event streams, and HTTPS drains in Logplex's framing. */
class ApiLogsTest {
  static ApiHarness api;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    api = new ApiHarness();
    api.appWithCode("logged", ApiHarness.code(dir, "code", "worker: echo started; exec sleep 950\n"));
    api.api("PATCH", "/apps/logged/formation", "{\"updates\":[{\"quantity\":1,\"type\":\"worker\"}]}");
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!sse(session("{\"lines\":1500,\"source\":\"app\",\"dyno\":\"worker.1\"}")).contains("started")
        && System.nanoTime() < deadline) {
      Processes.sleep(50);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
  }

  static String session(String body) throws Exception {
    ApiHarness.Response r = api.api("POST", "/apps/logged/log-sessions", body);
    assertEquals(201, r.status(), r.toString());
    return r.json().get("logplex_url").asText();
  }

  /** The whole body of a stream that ends by itself. */
  static String sse(String url) throws Exception {
    HttpResponse<String> r = api.client.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").build(),
        HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  @Test
  void aLogSessionStreamsTheLinesAskedForAsServerSentEventsAndEnds() throws Exception {
    String url = session("{\"lines\":3,\"tail\":false}");
    assertTrue(url.startsWith("http://127.0.0.1:" + api.port + "/log-sessions/") && url.contains("?srv="), url);
    HttpResponse<String> r = api.client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"), r.headers().toString());
    List<String> data = r.body().lines().filter(l -> l.startsWith("data:")).toList();
    assertEquals(3, data.size(), r.body());
    assertTrue(r.body().lines().anyMatch(l -> l.matches("id: ?\\d+")), "events carry their sequence numbers: " + r.body());

    String filtered = sse(session("{\"lines\":100,\"source\":\"heroku\",\"dyno\":\"worker\"}"));
    List<String> lines = filtered.lines().filter(l -> l.startsWith("data:")).toList();
    assertTrue(!lines.isEmpty() && lines.stream().allMatch(l -> l.contains(" heroku[worker.1]: ")), filtered);
  }

  @Test
  void aStreamWithAWrongCredentialIsRefused() throws Exception {
    String url = session("{}");
    HttpResponse<String> r = api.client.send(HttpRequest.newBuilder(URI.create(url.replaceAll("srv=.*", "srv=forged"))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(404, r.statusCode());
    assertEquals(422, api.api("POST", "/apps/logged/log-sessions", "{\"source\":\"elsewhere\"}").status());
    assertEquals(422, api.api("POST", "/apps/logged/log-sessions", "{\"lines\":5000}").status());
  }

  @Test
  void aTailStaysOpenSeesNewLinesAndResumesAfterTheLastEventId() throws Exception {
    String url = session("{\"lines\":1,\"tail\":true,\"source\":\"app\",\"dyno\":\"api\"}");
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    CompletableFuture<HttpResponse<Stream<String>>> open = api.client.sendAsync(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofLines());
    HttpResponse<Stream<String>> response = open.get(10, TimeUnit.SECONDS);
    Thread reader = new Thread(() -> response.body().forEach(received::add));
    reader.setDaemon(true);
    reader.start();

    api.api("PATCH", "/apps/logged/config-vars", "{\"TAILED\":\"yes\"}");
    String seen = await(received, "Set TAILED config vars");
    String id = await(received, "id:");
    assertTrue(seen.startsWith("data:"), seen);
    response.body().close();

    // a reconnect with Last-Event-ID gets only what came after that event
    api.api("PATCH", "/apps/logged/config-vars", "{\"AFTER\":\"yes\"}");
    HttpResponse<Stream<String>> again = api.client.send(HttpRequest.newBuilder(URI.create(url))
        .header("Last-Event-ID", id.substring(3).strip()).build(), HttpResponse.BodyHandlers.ofLines());
    List<String> resumed = new ArrayList<>();
    Iterator<String> it = again.body().iterator();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (it.hasNext() && System.nanoTime() < deadline) {
      String line = it.next();
      resumed.add(line);
      if (line.contains("Set AFTER config vars")) {
        break;
      }
    }
    again.body().close();
    String text = String.join("\n", resumed);
    assertTrue(text.contains("Set AFTER config vars"), text);
    assertTrue(!text.contains("Set TAILED config vars"), "what the client had is not sent again: " + text);
  }

  private static String await(BlockingQueue<String> lines, String fragment) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      String line = lines.poll(100, TimeUnit.MILLISECONDS);
      if (line != null && line.contains(fragment)) {
        return line;
      }
    }
    throw new AssertionError("no line with " + fragment);
  }

  @Test
  void aDrainGetsTheAppsLinesInLogplexFraming() throws Exception {
    BlockingQueue<Map<String, String>> frames = new LinkedBlockingQueue<>();
    HttpServer drain = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    drain.createContext("/logs", ex -> {
      frames.add(Map.of(
          "type", ex.getRequestHeaders().getFirst("Content-Type"),
          "count", ex.getRequestHeaders().getFirst("Logplex-Msg-Count"),
          "frame", ex.getRequestHeaders().getFirst("Logplex-Frame-Id"),
          "token", ex.getRequestHeaders().getFirst("Logplex-Drain-Token"),
          "body", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    drain.start();
    try {
      String url = "http://127.0.0.1:" + drain.getAddress().getPort() + "/logs";
      ApiHarness.Response added = api.api("POST", "/apps/logged/log-drains", "{\"url\":\"" + url + "\"}");
      assertEquals(201, added.status(), added.toString());
      JsonNode d = added.json();
      assertTrue(d.get("token").asText().startsWith("d."), d.toString());
      assertEquals(409, api.api("POST", "/apps/logged/log-drains", "{\"url\":\"" + url + "\"}").status());
      assertEquals(422, api.api("POST", "/apps/logged/log-drains", "{\"url\":\"syslog://logs.example.com:514\"}").status());
      assertEquals(1, api.get("/apps/logged/log-drains").json().size());

      api.api("PATCH", "/apps/logged/config-vars", "{\"DRAINED\":\"yes\"}");
      Map<String, String> frame = null;
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (System.nanoTime() < deadline) {
        Map<String, String> f = frames.poll(100, TimeUnit.MILLISECONDS);
        if (f != null && f.get("body").contains("Set DRAINED config vars")) {
          frame = f;
          break;
        }
      }
      assertTrue(frame != null, "the drain got the line");
      assertEquals("application/logplex-1", frame.get("type"));
      assertEquals(d.get("token").asText(), frame.get("token"));
      String body = frame.get("body");
      assertTrue(body.matches("(?s)\\d+ <190>1 \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00 host app api - .*"), body);
      int length = Integer.parseInt(body.substring(0, body.indexOf(' ')));
      String first = body.substring(body.indexOf(' ') + 1);
      assertEquals(length, new String(first.getBytes(StandardCharsets.UTF_8), 0, Math.min(length, first.getBytes(StandardCharsets.UTF_8).length),
          StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8).length, "octet counting");

      assertEquals(200, api.api("DELETE", "/apps/logged/log-drains/" + d.get("token").asText(), null).status(), "by token");
      assertEquals(0, api.get("/apps/logged/log-drains").json().size());
      assertEquals(404, api.api("DELETE", "/apps/logged/log-drains/" + d.get("id").asText(), null).status());
    } finally {
      drain.stop(0);
    }
  }

}
