package io.manifold.scenarios.yaml;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers where each node came from, so that a problem found
 * while reading it can name the file, line and column. Jackson's own tree drops locations.
 */
public sealed interface YamlNode {

  Location location();

  /** "a map", "a list", "a value": for messages such as "expected a list but found a value". */
  String kind();

  /** A mapping; keys in file order, each with the location of the key itself. */
  record MapNode(Location location, Map<String, Entry> entries) implements YamlNode {
    public MapNode {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    @Override
    public String kind() {
      return "a map";
    }
  }

  record Entry(String key, Location keyLocation, YamlNode value) {}

  record ListNode(Location location, List<YamlNode> items) implements YamlNode {
    public ListNode {
      items = List.copyOf(items);
    }

    @Override
    public String kind() {
      return "a list";
    }
  }

  /** A scalar as written; {@code type} says how YAML read it (a quoted "5" is a string). */
  record Scalar(Location location, String text, Type type) implements YamlNode {
    public enum Type { STRING, NUMBER, BOOLEAN, NULL }

    @Override
    public String kind() {
      return type == Type.NULL ? "nothing" : "a value";
    }
  }
}
