package io.manifold.core.app;

import io.manifold.core.CborSerializable;
import io.manifold.core.InputException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Process type to quantity, in the Procfile's order: {@code web=3, worker=1}. */
public record Formation(Map<String, Integer> quantities) implements CborSerializable {
  private static final Pattern ENTRY = Pattern.compile("\\s*([A-Za-z0-9_-]{1,128})\\s*=\\s*([0-9]{1,9})\\s*");

  public Formation {
    quantities = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(quantities));
  }

  public int quantity(String type) {
    return quantities.getOrDefault(type, 0);
  }

  /** This formation with the given quantities changed (types not named keep theirs). */
  public Formation with(Map<String, Integer> changes) {
    Map<String, Integer> next = new LinkedHashMap<>(quantities);
    next.putAll(changes);
    return new Formation(next);
  }

  /**
   * Parses {@code web=3,worker=1}, as {@code --formation} takes it.
   *
   * @param place names the source in errors, e.g. {@code --formation}
   */
  public static Map<String, Integer> parse(String text, String place) {
    Map<String, Integer> out = new LinkedHashMap<>();
    String[] parts = text.split(",", -1);
    for (int i = 0; i < parts.length; i++) {
      Matcher m = ENTRY.matcher(parts[i]);
      if (!m.matches()) {
        throw new InputException(place, "expected <process type>=<quantity>[,...] such as web=3,worker=1, but entry "
            + (i + 1) + " is '" + parts[i].strip() + "'");
      }
      if (out.put(m.group(1), Integer.parseInt(m.group(2))) != null) {
        throw new InputException(place, "process type '" + m.group(1) + "' is given twice");
      }
    }
    return out;
  }

  /** {@code web=3, worker=1}, as Heroku writes it in {@code Scale to ...}. */
  public static String describe(Map<String, Integer> quantities) {
    StringJoiner j = new StringJoiner(", ");
    quantities.forEach((type, n) -> j.add(type + "=" + n));
    return j.toString();
  }

  @Override
  public String toString() {
    return describe(quantities);
  }
}
