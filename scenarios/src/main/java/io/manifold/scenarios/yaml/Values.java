package io.manifold.scenarios.yaml;

import io.manifold.sim.dist.Units;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values of a study file: durations, rates, utilisations, shares, sizes, booleans. Each
 * throws {@link IllegalArgumentException} saying what was expected; the reader adds the place.
 */
public final class Values {
  private static final Pattern SIZE = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(B|KB|MB|GB)\\s*");

  private Values() {}


  public static long parseSeed(String t) {
    try {
      return Long.parseLong(t.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a whole number (64-bit) but found '" + t + "'");
    }
  }

  public static Duration duration(String t) {
    double nanos = Units.nanos(t);
    if (nanos > 1e18) {
      throw new IllegalArgumentException("expected a duration under 30 years but found '" + t + "'");
    }
    return Duration.ofNanos(Math.round(nanos));
  }

  public static Duration positiveDuration(String t) {
    Duration d = duration(t);
    if (d.isZero()) {
      throw new IllegalArgumentException("expected a duration above zero but found '" + t + "'");
    }
    return d;
  }

  public static double rate(String t) {
    double r = Units.perSecond(t);
    if (r <= 0 || r > 1e9) {
      throw new IllegalArgumentException("expected a rate above 0/s and at most 1e9/s but found '" + t + "'");
    }
    return r;
  }

  public static double rho(String t) {
    double r;
    try {
      r = Double.parseDouble(t.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a utilisation (rho) like 0.7 but found '" + t + "'");
    }
    if (!(r > 0 && r <= 5)) {
      throw new IllegalArgumentException("expected a utilisation (rho) above 0 and at most 5 but found '" + t + "'");
    }
    return r;
  }

  public static double share(String t) {
    String s = t.strip();
    boolean percent = s.endsWith("%");
    double v;
    try {
      v = Double.parseDouble(percent ? s.substring(0, s.length() - 1) : s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a share like 1% or 0.01 but found '" + t + "'");
    }
    v = percent ? v / 100 : v;
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException("expected a share from 0% to 100% but found '" + t + "'");
    }
    return v;
  }

  public static long bytes(String t) {
    Matcher m = SIZE.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException("expected a size like 512MB, 64KB or 1GB but found '" + t + "'");
    }
    double v = Double.parseDouble(m.group(1));
    return Math.round(v * switch (m.group(2)) {
      case "B" -> 1L;
      case "KB" -> 1L << 10;
      case "MB" -> 1L << 20;
      default -> 1L << 30;
    });
  }

  public static boolean bool(String t) {
    return switch (t.strip()) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new IllegalArgumentException("expected true or false but found '" + t + "'");
    };
  }
}
