package io.manifold.scenarios.chaos;

import io.manifold.sim.dist.Units;
import java.time.Duration;
import java.util.Locale;

/** How scenario values are written for people: in messages, tables and reports. */
public final class ScenarioText {
  private ScenarioText() {}

  public static String duration(Duration d) {
    return d == null ? "-" : d.isZero() ? "0s" : Units.format(d.toNanos());
  }

  public static String nanos(double nanos) {
    if (Double.isNaN(nanos)) {
      return "-";
    }
    if (nanos >= 1e9) {
      return String.format(Locale.ROOT, "%.2fs", nanos / 1e9);
    }
    if (nanos >= 1e6) {
      return String.format(Locale.ROOT, "%.1fms", nanos / 1e6);
    }
    return String.format(Locale.ROOT, "%.0fus", nanos / 1e3);
  }

  public static String percent(double share) {
    if (Double.isNaN(share)) {
      return "-";
    }
    double p = share * 100;
    return (p == Math.rint(p) ? String.format(Locale.ROOT, "%.0f", p) : String.format(Locale.ROOT, "%.2f", p)) + "%";
  }

  public static String bytes(long b) {
    if (b >= 1L << 30 && b % (1L << 30) == 0) {
      return (b >> 30) + "GB";
    }
    if (b >= 1L << 20 && b % (1L << 20) == 0) {
      return (b >> 20) + "MB";
    }
    if (b >= 1L << 10 && b % (1L << 10) == 0) {
      return (b >> 10) + "KB";
    }
    return b + "B";
  }

  /** A measured or bounding value in its unit. */
  public static String value(Scenario.Unit unit, double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return switch (unit) {
      case SHARE -> percent(v);
      case TIME -> nanos(v);
      case RATE -> String.format(Locale.ROOT, "%.1f/s", v);
      case COUNT -> v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    };
  }
}
