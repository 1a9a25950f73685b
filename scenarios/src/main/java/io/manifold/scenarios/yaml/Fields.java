package io.manifold.scenarios.yaml;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the fields of one YAML map into typed values, writing every problem (with its location,
 * the field's dotted path and what was expected) to a shared {@link Problems} instead of stopping
 * at the first. Each getter marks its field as known; {@link #rejectUnknown()} then reports the
 * others, with the nearest known name as a suggestion ({@code did you mean 'replications'?}).
 *
 * <p>Getters return null (or the default) when a field is absent or bad, so reading goes on.
 */
public final class Fields {
  private final YamlNode.MapNode map;
  private final String path;
  private final Problems problems;
  private final Set<String> known = new LinkedHashSet<>();

  public Fields(YamlNode.MapNode map, String path, Problems problems) {
    this.map = map;
    this.path = path;
    this.problems = problems;
  }

  /** The root of a document, which must be a map. */
  public static Fields root(YamlNode node, Problems problems) {
    if (node instanceof YamlNode.MapNode m) {
      return new Fields(m, "", problems);
    }
    problems.add(node.location(), "", "expected a map of fields at the top of the file, but found " + node.kind());
    return new Fields(new YamlNode.MapNode(node.location(), Map.of()), "", problems);
  }

  public Location location() {
    return map.location();
  }

  public Problems problems() {
    return problems;
  }

  /** The dotted path of a field of this map. */
  public String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public boolean has(String key) {
    known.add(key);
    return map.entries().containsKey(key);
  }

  /** The raw node of a field, if present. */
  public Optional<YamlNode> node(String key) {
    known.add(key);
    YamlNode.Entry e = map.entries().get(key);
    return e == null ? Optional.empty() : Optional.of(e.value());
  }

  /** Reports a problem with a field (at its value, or at this map when it is absent). */
  public void problem(String key, String message) {
    YamlNode.Entry e = map.entries().get(key);
    problems.add(e == null ? map.location() : e.value().location(), path(key), message);
  }

  /** Reports a problem with a field's name itself (at the key). */
  public void keyProblem(String key, String message) {
    YamlNode.Entry e = map.entries().get(key);
    problems.add(e == null ? map.location() : e.keyLocation(), path(key), message);
  }

  /** Reports that a required field is missing. */
  public void missing(String key, String expected) {
    problems.add(map.location(), path(key), "missing; expected " + expected);
  }

  /** A scalar field's text, or null if absent or not a scalar. */
  public String text(String key) {
    Optional<YamlNode> n = node(key);
    if (n.isEmpty()) {
      return null;
    }
    if (n.get() instanceof YamlNode.Scalar s && s.type() != YamlNode.Scalar.Type.NULL) {
      return s.text();
    }
    problems.add(n.get().location(), path(key), "expected a value but found " + n.get().kind());
    return null;
  }

  /**
   * A scalar field converted by {@code parse}, which throws {@link IllegalArgumentException} with
   * what was expected when the text does not fit; the default when absent or bad.
   */
  public <T> T value(String key, Function<String, T> parse, T absent) {
    String t = text(key);
    if (t == null) {
      return absent;
    }
    return convert(map.entries().get(key).value(), path(key), t, parse, absent);
  }

  /** A whole number between {@code min} and {@code max}. */
  public Long integer(String key, long min, long max, Long absent) {
    return value(key, t -> integer(t, min, max), absent);
  }

  /** A number between {@code min} and {@code max}. */
  public Double number(String key, double min, double max, Double absent) {
    return value(key, t -> number(t, min, max), absent);
  }

  /** One of {@code choices}. */
  public String choice(String key, Collection<String> choices, String absent) {
    return value(key, t -> choice(t, choices), absent);
  }

  /** A nested map; an absent field gives an empty one, a field of another kind a problem. */
  public Fields map(String key) {
    Optional<YamlNode> n = node(key);
    if (n.isPresent() && n.get() instanceof YamlNode.MapNode m) {
      return new Fields(m, path(key), problems);
    }
    if (n.isPresent()) {
      problems.add(n.get().location(), path(key), "expected a map of fields but found " + n.get().kind());
    }
    return new Fields(new YamlNode.MapNode(map.location(), Map.of()), path(key), problems);
  }

  /** A list field's items; a single value counts as a list of one. Empty when absent. */
  public List<YamlNode> list(String key) {
    Optional<YamlNode> n = node(key);
    if (n.isEmpty()) {
      return List.of();
    }
    if (n.get() instanceof YamlNode.ListNode l) {
      return l.items();
    }
    if (n.get() instanceof YamlNode.MapNode) {
      problems.add(n.get().location(), path(key), "expected a list (or one value) but found a map");
      return List.of();
    }
    return List.of(n.get());
  }

  /** The keys present in this map, in file order. */
  public List<String> keys() {
    return new ArrayList<>(map.entries().keySet());
  }

  /** Reports every field that no getter asked for, with a suggestion for a near miss. */
  public void rejectUnknown() {
    for (YamlNode.Entry e : map.entries().values()) {
      if (!known.contains(e.key())) {
        String near = nearest(e.key(), known);
        problems.add(e.keyLocation(), path(e.key()), "unknown field"
            + (near != null ? "; did you mean '" + near + "'?" : "; expected one of " + String.join(", ", known)));
      }
    }
  }

  // --- conversions, usable on list items too ---

  /** Converts a scalar node with {@code parse}; reports a problem and returns {@code absent} if it does not fit. */
  public static <T> T convert(YamlNode node, String field, String text, Function<String, T> parse, T absent, Problems problems) {
    try {
      return parse.apply(text);
    } catch (IllegalArgumentException e) {
      problems.add(node.location(), field, e.getMessage());
      return absent;
    }
  }

  private <T> T convert(YamlNode node, String field, String text, Function<String, T> parse, T absent) {
    return convert(node, field, text, parse, absent, problems);
  }

  /** The text of a scalar list item, or null (with a problem) for anything else. */
  public static String scalarText(YamlNode node, String field, Problems problems) {
    if (node instanceof YamlNode.Scalar s && s.type() != YamlNode.Scalar.Type.NULL) {
      return s.text();
    }
    problems.add(node.location(), field, "expected a value but found " + node.kind());
    return null;
  }

  public static long integer(String text, long min, long max) {
    long v;
    try {
      v = Long.parseLong(text.strip().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a whole number but found '" + text + "'");
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException("expected a whole number from " + min + " to " + max + " but found " + v);
    }
    return v;
  }

  public static double number(String text, double min, double max) {
    double v;
    try {
      v = Double.parseDouble(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a number but found '" + text + "'");
    }
    if (!(v >= min && v <= max)) {
      throw new IllegalArgumentException("expected a number from " + trim(min) + " to " + trim(max) + " but found " + text.strip());
    }
    return v;
  }

  public static String choice(String text, Collection<String> choices) {
    if (choices.contains(text)) {
      return text;
    }
    String near = nearest(text, choices);
    throw new IllegalArgumentException("expected one of " + String.join(", ", choices) + " but found '" + text + "'"
        + (near != null ? "; did you mean '" + near + "'?" : ""));
  }

  /** The candidate closest to {@code word} by edit distance, if it is close enough to be a typo; else null. */
  public static String nearest(String word, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(word.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    int allowed = Math.max(1, Math.min(3, word.length() / 3));
    return bestDistance <= allowed || (best != null && (best.startsWith(word) || word.startsWith(best)) && word.length() >= 3) ? best : null;
  }

  /** Levenshtein distance, with a transposition costing one (Damerau's, restricted). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  private static String trim(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
