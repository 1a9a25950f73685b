package io.manifold.http.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** JSON in and out, as the Platform API writes it: ISO 8601 times to the second, in UTC. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  static String time(Instant t) {
    return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  static ObjectNode ref(String id, String name) {
    return object().put("id", id).put("name", name);
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always writes", e);
    }
  }

  /** Parses a request body; empty means {@code {}}. A malformed body is a 400 naming the problem. */
  static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return object();
    }
    try {
      return MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest("Invalid JSON in the request body: " + e.getOriginalMessage()
          + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
    }
  }

  /** The body as an object, or a 400. */
  static JsonNode parseObject(String body) {
    JsonNode node = parse(body);
    if (!node.isObject()) {
      throw ApiError.badRequest("expected a JSON object as the request body");
    }
    return node;
  }

  /** An optional string field: null when absent or null; a 422 naming the field when not a string. */
  static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw ApiError.invalidParams("'" + field + "' must be a string");
    }
    return v.asText();
  }

  static Boolean bool(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw ApiError.invalidParams("'" + field + "' must be true or false");
    }
    return v.asBoolean();
  }

  static Integer integer(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw ApiError.invalidParams("'" + field + "' must be a whole number");
    }
    return v.asInt();
  }
}
