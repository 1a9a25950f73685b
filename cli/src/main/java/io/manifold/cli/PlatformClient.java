package io.manifold.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Platform API as the {@code heroku} CLI calls it: version 3 {@code Accept}, the bearer
 * token, JSON bodies, lists followed through {@code Next-Range}. An error the API answers becomes
 * {@link Refused} (exit 2); an API that does not answer becomes {@link Unreachable} (exit 1).
 */
final class PlatformClient {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String ACCEPT = "application/vnd.heroku+json; version=3";

  /** Pages of a list followed at most; with the API's largest page (1,000) that is 100,000 items. */
  static final int MAX_PAGES = 100;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Longer than the API's own wait for an app (10 s), so that its 503 reaches the person rather than ours. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final URI base;
  private final String token;
  private final HttpClient http;

  /** The API answered with an error: Heroku's {@code {"id", "message"}} and the status. */
  static final class Refused extends RuntimeException {
    final int status;
    final String id;

    Refused(int status, String id, String message) {
      super(message, null, false, false);
      this.status = status;
      this.id = id;
    }
  }

  /** Nothing answered at the API's address, or it stopped answering. */
  static final class Unreachable extends RuntimeException {
    Unreachable(String message, Throwable cause) {
      super(message, cause, false, false);
    }
  }

  PlatformClient(URI base, String token) {
    this.base = base;
    this.token = token;
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
  }

  URI base() {
    return base;
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  JsonNode get(String path) {
    return send(request(path).GET()).json;
  }

  /** One page of a list, in the order and size a {@code Range} asks for (no further pages). */
  List<JsonNode> page(String path, String range) {
    return items(send(request(path).header("Range", range).GET()).json, path);
  }

  /** A whole list: every page, following {@code Next-Range} as the heroku CLI does. */
  List<JsonNode> list(String path) {
    List<JsonNode> all = new ArrayList<>();
    String range = null;
    for (int page = 0; page < MAX_PAGES; page++) {
      HttpRequest.Builder b = request(path).GET();
      if (range != null) {
        b.header("Range", range);
      }
      Answer answer = send(b);
      all.addAll(items(answer.json, path));
      range = answer.response.headers().firstValue("Next-Range").orElse(null);
      if (answer.response.statusCode() != 206 || range == null) {
        return all;
      }
    }
    throw new Unreachable("the list at " + path + " did not end within " + MAX_PAGES + " pages", null);
  }

  JsonNode post(String path, JsonNode body) {
    return send(withBody(request(path), "POST", body)).json;
  }

  JsonNode patch(String path, JsonNode body) {
    return send(withBody(request(path), "PATCH", body)).json;
  }

  JsonNode delete(String path) {
    return send(request(path).DELETE()).json;
  }

  /**
   * An API path from its segments, each percent-encoded, so that what a person typed (an app, a
   * dyno, a drain's URL) stays one segment: {@code href("apps", "shop", "dynos")}.
   */
  static String href(String... segments) {
    StringBuilder p = new StringBuilder();
    for (String s : segments) {
      p.append('/').append(segment(s));
    }
    return p.toString();
  }

  /** Everything but RFC 3986's unreserved characters percent-encoded. */
  static String segment(String value) {
    StringBuilder s = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
        s.append(c);
      } else {
        s.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return s.toString();
  }

  private record Answer(HttpResponse<String> response, JsonNode json) {}

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path))
        .timeout(REQUEST_TIMEOUT)
        .header("Accept", ACCEPT)
        .header("Authorization", "Bearer " + token)
        .header("User-Agent", "manifold-cli");
  }

  private static HttpRequest.Builder withBody(HttpRequest.Builder b, String method, JsonNode body) {
    String text = body == null ? "" : body.toString();
    return b.header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8));
  }

  private Answer send(HttpRequest.Builder b) {
    HttpRequest request = b.build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new Unreachable("no manifold answers at " + base + "; start one with ./manifold up"
          + " (or give the API's address with --api or MANIFOLD_API_URL)", e);
    } catch (HttpTimeoutException e) {
      throw new Unreachable("the manifold at " + base + " did not answer " + request.method() + " "
          + request.uri().getPath() + " within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
    } catch (IOException e) {
      throw new Unreachable("the manifold at " + base + " stopped answering (" + e + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable("interrupted while waiting for " + base, e);
    }
    JsonNode json = parse(response.body());
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new Answer(response, json);
    }
    if (json != null && json.hasNonNull("message")) {
      throw new Refused(status, json.path("id").asText(null), json.get("message").asText());
    }
    throw new Refused(status, null, "the API answered " + status + " to " + request.method() + " " + request.uri().getPath()
        + (response.body().isBlank() ? "" : ": " + response.body().strip()));
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return object();
    }
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static List<JsonNode> items(JsonNode json, String path) {
    if (json == null || !json.isArray()) {
      throw new Refused(200, null, "expected a list from " + path + " but the API answered " + json);
    }
    List<JsonNode> items = new ArrayList<>();
    json.forEach(items::add);
    return items;
  }
}
