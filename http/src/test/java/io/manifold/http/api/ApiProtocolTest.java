package io.manifold.http.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every request goes through: the token, the version, errors, ranges, ETags, limits, request ids. */
class ApiProtocolTest {
  static ApiHarness api;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    api = new ApiHarness(ConfigFactory.parseMap(Map.of("manifold.api.max-body", "4k")));
    Path code = ApiHarness.code(dir, "code", "worker: exec sleep 800\n");
    api.appWithCode("alpha", code);
    api.appWithCode("beta", code);
    api.appWithCode("gamma", code);
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
  }

  /** Every route, with a body where it takes one. */
  static final List<String[]> ROUTES = List.of(
      new String[] {"GET", "/account"}, new String[] {"GET", "/apps"}, new String[] {"GET", "/users/~/apps"},
      new String[] {"POST", "/apps"}, new String[] {"GET", "/apps/alpha"}, new String[] {"PATCH", "/apps/alpha"},
      new String[] {"DELETE", "/apps/alpha"}, new String[] {"GET", "/apps/alpha/formation"},
      new String[] {"PATCH", "/apps/alpha/formation"}, new String[] {"GET", "/apps/alpha/formation/worker"},
      new String[] {"PATCH", "/apps/alpha/formation/worker"}, new String[] {"GET", "/apps/alpha/dynos"},
      new String[] {"POST", "/apps/alpha/dynos"}, new String[] {"DELETE", "/apps/alpha/dynos"},
      new String[] {"GET", "/apps/alpha/dynos/worker.1"}, new String[] {"DELETE", "/apps/alpha/dynos/worker.1"},
      new String[] {"POST", "/apps/alpha/dynos/worker.1/actions/stop"}, new String[] {"DELETE", "/apps/alpha/formations/worker"},
      new String[] {"POST", "/apps/alpha/formations/worker/actions/stop"}, new String[] {"GET", "/apps/alpha/config-vars"},
      new String[] {"PATCH", "/apps/alpha/config-vars"}, new String[] {"GET", "/apps/alpha/releases"},
      new String[] {"POST", "/apps/alpha/releases"}, new String[] {"GET", "/apps/alpha/releases/1"},
      new String[] {"GET", "/apps/alpha/releases/1/config-vars"}, new String[] {"GET", "/apps/alpha/builds"},
      new String[] {"POST", "/apps/alpha/builds"}, new String[] {"GET", "/apps/alpha/log-drains"},
      new String[] {"POST", "/apps/alpha/log-drains"}, new String[] {"GET", "/apps/alpha/log-drains/x"},
      new String[] {"DELETE", "/apps/alpha/log-drains/x"}, new String[] {"POST", "/apps/alpha/log-sessions"},
      new String[] {"GET", "/apps/alpha/addons"}, new String[] {"GET", "/apps/alpha/collaborators"},
      new String[] {"GET", "/dyno-sizes"}, new String[] {"GET", "/apps/nope"});

  @Test
  void everyRouteWithoutOrWithAWrongTokenIs401AndChangesNothing() throws Exception {
    for (String[] route : ROUTES) {
      String body = route[0].equals("GET") || route[0].equals("DELETE") ? null : "{\"name\":\"intruder\",\"maintenance\":true}";
      for (Map<String, String> headers : List.of(
          Map.of("Accept", "application/vnd.heroku+json; version=3"),
          Map.of("Accept", "application/vnd.heroku+json; version=3", "Authorization", "Bearer wrong"),
          Map.of("Accept", "application/vnd.heroku+json; version=3", "Authorization", "Basic "
              + Base64.getEncoder().encodeToString("me:wrong".getBytes(StandardCharsets.UTF_8))))) {
        ApiHarness.Response r = api.call(route[0], route[1], body, headers);
        assertEquals(401, r.status(), route[0] + " " + route[1] + " " + headers + " -> " + r);
        assertEquals("unauthorized", r.json().get("id").asText());
        assertEquals("Invalid credentials provided.", r.json().get("message").asText());
      }
    }
    assertEquals(404, api.get("/apps/intruder").status(), "nothing was created");
    assertEquals(false, api.get("/apps/alpha").json().get("maintenance").asBoolean(), "nothing was changed");
  }

  @Test
  void basicAuthWithTheTokenAsPasswordIsAccepted() throws Exception {
    String basic = Base64.getEncoder().encodeToString((":" + ApiHarness.TOKEN).getBytes(StandardCharsets.UTF_8));
    ApiHarness.Response r = api.call("GET", "/account", null,
        Map.of("Accept", "application/vnd.heroku+json; version=3", "Authorization", "Basic " + basic));
    assertEquals(200, r.status(), r.toString());
    assertEquals(ApiHarness.USER, r.json().get("email").asText());
  }

  @Test
  void aRequestWithoutTheVersion3AcceptHeaderIsRefused() throws Exception {
    for (String accept : new String[] {"application/json", "application/vnd.heroku+json; version=2"}) {
      ApiHarness.Response r = api.call("GET", "/account", null, Map.of("Authorization", "Bearer " + ApiHarness.TOKEN, "Accept", accept));
      assertEquals(400, r.status(), accept);
      assertTrue(r.json().get("message").asText().contains("version=3"), r.toString());
    }
    for (String accept : new String[] {"application/vnd.heroku+json; version=3.sdk", "application/vnd.heroku+json; version=3.account-quotas"}) {
      assertEquals(200, api.api("GET", "/account", null, Map.of("Accept", accept)).status(), accept);
    }
  }

  @Test
  void anUnknownEndpointIsHerokusNotFound() throws Exception {
    ApiHarness.Response r = api.get("/no/such/thing");
    assertEquals(404, r.status());
    assertEquals("not_found", r.json().get("id").asText());
    ApiHarness.Response app = api.get("/apps/no-such-app");
    assertEquals(404, app.status());
    assertEquals("Couldn't find that app.", app.json().get("message").asText());
  }

  @Test
  void listsArePagedWithRangeAndNextRangeOnlyWhenMoreFollows() throws Exception {
    ApiHarness.Response first = api.api("GET", "/apps", null, Map.of("Range", "name ..; max=2"));
    assertEquals(206, first.status());
    assertEquals(List.of("alpha", "beta"), names(first));
    assertEquals("name ]beta..; max=2", first.header("Next-Range"));
    ApiHarness.Response second = api.api("GET", "/apps", null, Map.of("Range", first.header("Next-Range")));
    assertEquals(200, second.status());
    assertEquals(List.of("gamma"), names(second));
    assertNull(second.header("Next-Range"), "no Next-Range on the last page");
    ApiHarness.Response desc = api.api("GET", "/apps", null, Map.of("Range", "name ..; max=1, order=desc"));
    assertEquals(List.of("gamma"), names(desc));
    assertEquals(400, api.api("GET", "/apps", null, Map.of("Range", "size ..")).status(), "not a field of apps");
    assertEquals(400, api.api("GET", "/apps", null, Map.of("Range", "garbage")).status());
  }

  private static List<String> names(ApiHarness.Response r) {
    List<String> out = new java.util.ArrayList<>();
    r.json().forEach(a -> out.add(a.get("name").asText()));
    return out;
  }

  @Test
  void aGetCarriesAnETagAndAnswers304WhenTheClientHasIt() throws Exception {
    ApiHarness.Response r = api.get("/apps/alpha/formation");
    String etag = r.header("ETag");
    assertNotNull(etag);
    ApiHarness.Response again = api.api("GET", "/apps/alpha/formation", null, Map.of("If-None-Match", etag));
    assertEquals(304, again.status());
    assertEquals("", again.body());
  }

  @Test
  void everyResponseHasARequestIdAndTheRateLimitLeft() throws Exception {
    ApiHarness.Response a = api.get("/account");
    ApiHarness.Response b = api.get("/account");
    assertTrue(a.header("Request-Id").matches("[0-9a-f-]{36}"), a.headers().toString());
    assertTrue(Integer.parseInt(b.header("RateLimit-Remaining")) < Integer.parseInt(a.header("RateLimit-Remaining")));
  }

  @Test
  void malformedAndOversizedBodiesAreRefusedWithHerokusErrors() throws Exception {
    ApiHarness.Response bad = api.api("PATCH", "/apps/alpha/config-vars", "{\"A\": ");
    assertEquals(400, bad.status());
    assertEquals("bad_request", bad.json().get("id").asText());
    assertTrue(bad.json().get("message").asText().startsWith("Invalid JSON"), bad.toString());
    ApiHarness.Response notObject = api.api("PATCH", "/apps/alpha/config-vars", "[1,2]");
    assertEquals(400, notObject.status());
    ApiHarness.Response big = api.api("PATCH", "/apps/alpha/config-vars", "{\"A\":\"" + "x".repeat(5_000) + "\"}");
    assertEquals(413, big.status(), big.toString());
    assertEquals(false, api.get("/apps/alpha/config-vars").json().has("A"), "nothing was set");
  }

  @Test
  void theRateLimitAnswers429WhenSpent() throws Exception {
    try (ApiHarness small = new ApiHarness(ConfigFactory.parseMap(Map.of("manifold.api.rate-limit", 3)))) {
      for (int i = 0; i < 3; i++) {
        assertEquals(200, small.get("/account").status());
      }
      ApiHarness.Response r = small.get("/account");
      assertEquals(429, r.status());
      assertEquals("rate_limit", r.json().get("id").asText());
    }
  }
}
