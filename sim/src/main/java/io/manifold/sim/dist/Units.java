package io.manifold.sim.dist;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations ({@code 50ms}, {@code 1.5s}) and rates ({@code 150/s}, {@code 9000/min}) as study files
 * write them. A number without a unit is refused: {@code 50} could be seconds or milliseconds.
 * Parse errors are {@link IllegalArgumentException}s whose message says what was expected; the
 * caller adds where the text came from.
 */
public final class Units {
  private static final Pattern DURATION = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)\\s*(ns|us|µs|ms|s|m|min|h)\\s*");
  private static final Pattern RATE = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)\\s*(?:/|per\\s*)(ms|s|sec|m|min|h)\\s*");

  private Units() {}

  /** Nanoseconds in a duration such as {@code 50ms}, {@code 1.5s}, {@code 2m}, {@code 100us}. */
  public static double nanos(String text) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("expected a duration with a unit (ns, us, ms, s, m, h), like 50ms or 1.5s, but found '" + text + "'");
    }
    double v = Double.parseDouble(m.group(1));
    return v * switch (m.group(2)) {
      case "ns" -> 1;
      case "us", "µs" -> 1e3;
      case "ms" -> 1e6;
      case "s" -> 1e9;
      case "m", "min" -> 60e9;
      default -> 3600e9;
    };
  }

  /** Requests per second in a rate such as {@code 150/s} or {@code 9000/min}. */
  public static double perSecond(String text) {
    Matcher m = RATE.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("expected a rate like 150/s or 9000/min, but found '" + text + "'");
    }
    double v = Double.parseDouble(m.group(1));
    return v / switch (m.group(2)) {
      case "ms" -> 1e-3;
      case "s", "sec" -> 1;
      case "m", "min" -> 60;
      default -> 3600;
    };
  }

  /** A duration for people: {@code 50ms}, {@code 1.5s}, {@code 250us}. */
  public static String format(double nanos) {
    if (nanos >= 60e9 && nanos % 60e9 == 0) {
      return trim(nanos / 60e9) + "m";
    }
    if (nanos >= 1e9) {
      return trim(nanos / 1e9) + "s";
    }
    if (nanos >= 1e6) {
      return trim(nanos / 1e6) + "ms";
    }
    if (nanos >= 1e3) {
      return trim(nanos / 1e3) + "us";
    }
    return trim(nanos) + "ns";
  }

  /** A number for people: no trailing zeros, 4 significant digits at most. */
  public static String trimNumber(double v) {
    return trim(v);
  }

  static String trim(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    String s = String.format(java.util.Locale.ROOT, "%.4g", v);
    if (s.contains(".") && !s.contains("e")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s;
  }
}
