package io.manifold.scenarios.study;

import java.util.Locale;

/** How reports write numbers: always with a dot, the same way on every machine. */
final class Numbers {
  private Numbers() {}

  /** For CSV: fixed decimals, so that two runs' files compare byte for byte. */
  static String csv(double v, int decimals) {
    if (Double.isNaN(v)) {
      return "";
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** For people: a few significant digits. */
  static String ms(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    if (v >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (v >= 100) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (v >= 10) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }

  static String pm(double mean, double half) {
    return ms(mean) + (Double.isNaN(half) ? "" : " ±" + ms(half));
  }

  static String percent(double share) {
    return Double.isNaN(share) ? "-" : String.format(Locale.ROOT, share < 0.001 && share > 0 ? "%.3f%%" : "%.1f%%", share * 100);
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
