package io.manifold.core.app;

import io.manifold.core.CborSerializable;
import io.manifold.core.InputException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A quantity in a scale request: absolute ({@code 3}) or relative ({@code +1}, {@code -2}), as
 * {@code heroku ps:scale web+1} sends it. Relative ones are applied by the app itself, so that two
 * concurrent {@code +1}s make two more dynos.
 */
public record Quantity(boolean relative, int value) implements CborSerializable {
  private static final Pattern FORM = Pattern.compile("\\s*([+-]?)([0-9]{1,6})\\s*");

  public static Quantity absolute(int n) {
    return new Quantity(false, n);
  }

  /** Parses {@code 3}, {@code "3"}, {@code "+1"}, {@code "-2"}. */
  public static Quantity parse(String text, String place) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new InputException(place, "expected a quantity such as 3, +1 or -1, but found '" + text + "'");
    }
    int n = Integer.parseInt(m.group(2));
    return switch (m.group(1)) {
      case "+" -> new Quantity(true, n);
      case "-" -> new Quantity(true, -n);
      default -> new Quantity(false, n);
    };
  }

  public int applyTo(int current) {
    return relative ? current + value : value;
  }

  @Override
  public String toString() {
    return relative ? (value >= 0 ? "+" + value : Integer.toString(value)) : Integer.toString(value);
  }
}
