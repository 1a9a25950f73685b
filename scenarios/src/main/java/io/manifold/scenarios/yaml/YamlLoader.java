package io.manifold.scenarios.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a YAML file into a {@link YamlNode} tree with the location of every node, through
 * Jackson's YAML parser. Syntax errors, duplicate keys and a file too large are
 * {@link YamlException}s naming the place.
 */
public final class YamlLoader {
  /** Bound on a file: studies and scenarios are a page or two. */
  public static final long MAX_BYTES = 1 << 20;

  private static final YAMLFactory FACTORY = new YAMLFactory();

  private YamlLoader() {}

  /** Reads {@code file}; {@code label} is how messages name it (the path as the user gave it). */
  public static YamlNode load(Path file, String label) {
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw single(label, 1, 1, "the file is larger than " + (MAX_BYTES >> 10) + " KiB; expected a study or scenario of a few pages");
      }
      return parse(Files.readString(file, StandardCharsets.UTF_8), label);
    } catch (NoSuchFileException e) {
      throw single(label, 1, 1, "no such file");
    } catch (IOException e) {
      throw single(label, 1, 1, "cannot read it: " + e.getMessage());
    }
  }

  public static YamlNode parse(String text, String label) {
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw single(label, 1, 1, "the file is empty; expected a YAML map of fields");
      }
      YamlNode root = read(p, first, label);
      if (p.nextToken() != null) {
        JsonLocation at = p.currentTokenLocation();
        throw single(label, at.getLineNr(), at.getColumnNr(), "expected one YAML document, found more");
      }
      return root;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String message = e.getOriginalMessage().lines().findFirst().orElse("not valid YAML");
      throw single(label, at == null ? 1 : Math.max(1, at.getLineNr()), at == null ? 1 : Math.max(1, at.getColumnNr()),
          "not valid YAML: " + message);
    } catch (IOException e) {
      throw single(label, 1, 1, "cannot read it: " + e.getMessage());
    }
  }

  private static YamlNode read(JsonParser p, JsonToken token, String label) throws IOException {
    Location at = location(p, label);
    switch (token) {
      case START_OBJECT -> {
        Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
          String key = p.currentName();
          Location keyAt = location(p, label);
          YamlNode value = read(p, p.nextToken(), label);
          if (entries.containsKey(key)) {
            throw single(label, keyAt.line(), keyAt.column(), "'" + key + "' is given twice (first at line "
                + entries.get(key).keyLocation().line() + ")");
          }
          entries.put(key, new YamlNode.Entry(key, keyAt, value));
        }
        return new YamlNode.MapNode(at, entries);
      }
      case START_ARRAY -> {
        List<YamlNode> items = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          items.add(read(p, t, label));
        }
        return new YamlNode.ListNode(at, items);
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return new YamlNode.Scalar(at, p.getText(), YamlNode.Scalar.Type.NUMBER);
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return new YamlNode.Scalar(at, p.getText(), YamlNode.Scalar.Type.BOOLEAN);
      }
      case VALUE_NULL -> {
        return new YamlNode.Scalar(at, "", YamlNode.Scalar.Type.NULL);
      }
      default -> {
        return new YamlNode.Scalar(at, p.getText(), YamlNode.Scalar.Type.STRING);
      }
    }
  }

  private static Location location(JsonParser p, String label) {
    JsonLocation l = p.currentTokenLocation();
    return new Location(label, Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
  }

  private static YamlException single(String label, int line, int column, String message) {
    return new YamlException(List.of(new YamlException.Problem(new Location(label, line, column), "", message)));
  }
}
