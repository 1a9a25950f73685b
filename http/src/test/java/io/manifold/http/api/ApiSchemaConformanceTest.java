package io.manifold.http.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each resource the API returns against Heroku's published schema (test resource
 * heroku-platform-api/schema.json, MIT): every property the schema defines is present, with one of
 * the types it allows, down into nested objects.
 */
class ApiSchemaConformanceTest {
  static ApiHarness api;
  static JsonNode schema;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    try (InputStream in = ApiSchemaConformanceTest.class.getResourceAsStream("/heroku-platform-api/schema.json")) {
      schema = ApiHarness.JSON.readTree(in);
    }
    api = new ApiHarness();
    api.appWithCode("conform", ApiHarness.code(dir, "code", "web: exec sleep 990\nworker: exec sleep 991\n"));
    api.api("POST", "/apps/conform/dynos", "{\"command\":\"sleep 992\"}");
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
  }

  /** The definition at a JSON pointer such as {@code #/definitions/app/definitions/id}. */
  private static JsonNode resolve(JsonNode node) {
    while (node.has("$ref")) {
      JsonNode target = schema;
      for (String part : node.get("$ref").asText().substring(2).split("/")) {
        target = target.get(part);
      }
      node = target;
    }
    return node;
  }

  private static List<String> violations(String where, JsonNode definition, JsonNode value) {
    List<String> out = new ArrayList<>();
    JsonNode def = resolve(definition);
    JsonNode types = def.get("type");
    if (types != null) {
      List<String> allowed = new ArrayList<>();
      types.forEach(t -> allowed.add(t.asText()));
      if (types.isTextual()) {
        allowed.add(types.asText());
      }
      String actual = value.isNull() ? "null" : value.isBoolean() ? "boolean" : value.isIntegralNumber() ? "integer"
          : value.isNumber() ? "number" : value.isTextual() ? "string" : value.isArray() ? "array" : "object";
      if (!allowed.contains(actual) && !(actual.equals("integer") && allowed.contains("number"))) {
        out.add(where + " is " + actual + ", schema allows " + allowed);
        return out;
      }
    }
    JsonNode props = def.get("properties");
    if (props != null && value.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> p = it.next();
        if (!value.has(p.getKey())) {
          out.add(where + "." + p.getKey() + " is missing");
        } else {
          out.addAll(violations(where + "." + p.getKey(), p.getValue(), value.get(p.getKey())));
        }
      }
    }
    return out;
  }

  private static void conforms(String resource, JsonNode value) {
    List<String> problems = violations(resource, schema.get("definitions").get(resource), value);
    assertTrue(problems.isEmpty(), String.join("\n", problems) + "\nin " + value);
  }

  private static JsonNode get(String path) throws Exception {
    ApiHarness.Response r = api.get(path);
    assertTrue(r.status() == 200 || r.status() == 206, path + " -> " + r);
    return r.json();
  }

  @Test
  void theCheckFindsAMissingFieldAndAWrongType() throws Exception {
    JsonNode app = get("/apps/conform");
    com.fasterxml.jackson.databind.node.ObjectNode broken = app.deepCopy();
    broken.remove("name");
    broken.put("maintenance", "no");
    ((com.fasterxml.jackson.databind.node.ObjectNode) broken.get("owner")).remove("email");
    List<String> problems = violations("app", schema.get("definitions").get("app"), broken);
    assertTrue(problems.contains("app.name is missing"), problems.toString());
    assertTrue(problems.contains("app.maintenance is string, schema allows [boolean]"), problems.toString());
    assertTrue(problems.contains("app.owner.email is missing"), problems.toString());
  }

  @Test
  void accountAndApp() throws Exception {
    conforms("account", get("/account"));
    conforms("app", get("/apps/conform"));
    get("/apps").forEach(a -> conforms("app", a));
  }

  @Test
  void formationAndDynos() throws Exception {
    get("/apps/conform/formation").forEach(f -> conforms("formation", f));
    conforms("formation", get("/apps/conform/formation/web"));
    JsonNode dynos = get("/apps/conform/dynos");
    assertTrue(dynos.size() >= 2, dynos.toString());
    dynos.forEach(d -> conforms("dyno", d));
  }

  @Test
  void releasesBuildsDrainsAndLogSessions() throws Exception {
    get("/apps/conform/releases").forEach(r -> conforms("release", r));
    get("/apps/conform/builds").forEach(b -> conforms("build", b));
    conforms("log-drain", api.api("POST", "/apps/conform/log-drains", "{\"url\":\"https://127.0.0.1:9/drain\"}").json());
    conforms("log-session", api.api("POST", "/apps/conform/log-sessions", "{}").json());
  }
}
