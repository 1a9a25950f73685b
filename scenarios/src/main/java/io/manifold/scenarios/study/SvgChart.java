package io.manifold.scenarios.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as inline SVG, for a report that needs no network: axes (linear or logarithmic),
 * ticks, one polyline per series with optional error bars, and a legend. Deliberately small.
 */
final class SvgChart {
  static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};

  private record Series(String name, double[] x, double[] y, double[] lo, double[] hi, boolean markers) {}

  private final String xLabel;
  private final String yLabel;
  private final boolean logX;
  private final boolean logY;
  private final List<Series> series = new ArrayList<>();

  SvgChart(String xLabel, String yLabel, boolean logX, boolean logY) {
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.logX = logX;
    this.logY = logY;
  }

  /** @param lo lower ends of error bars, or null; {@code hi} likewise */
  void add(String name, double[] x, double[] y, double[] lo, double[] hi, boolean markers) {
    series.add(new Series(name, x, y, lo, hi, markers));
  }

  String render(int width, int height) {
    int left = 64;
    int right = 16;
    int top = 12;
    int bottom = 44;
    int legendLine = 16;
    int legendHeight = legendLine * series.size() + 8;
    double[] xr = range(true);
    double[] yr = range(false);
    if (!logY && yr[0] > 0) {
      yr[0] = 0; // latencies and shares read best from zero
    }
    int plotW = width - left - right;
    int plotH = height - top - bottom;
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">",
        width, height + legendHeight, width, height + legendHeight));
    b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fff\" stroke=\"#999\"/>", left, top, plotW, plotH));
    for (double t : ticks(xr, logX)) {
      double px = left + plotW * frac(t, xr, logX);
      b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>", px, top, px, top + plotH));
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", px, top + plotH + 14, label(t)));
    }
    for (double t : ticks(yr, logY)) {
      double py = top + plotH * (1 - frac(t, yr, logY));
      b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>", left, py, left + plotW, py));
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", left - 4, py + 4, label(t)));
    }
    b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", left + plotW / 2.0, top + plotH + 32, esc(xLabel)));
    b.append(String.format(Locale.ROOT, "<text transform=\"translate(14,%.1f) rotate(-90)\" text-anchor=\"middle\">%s</text>", top + plotH / 2.0, esc(yLabel)));
    for (int s = 0; s < series.size(); s++) {
      Series se = series.get(s);
      String color = COLORS[s % COLORS.length];
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < se.x.length; i++) {
        if (!plottable(se.x[i], logX) || !plottable(se.y[i], logY)) {
          continue;
        }
        double px = left + plotW * frac(se.x[i], xr, logX);
        double py = top + plotH * (1 - frac(se.y[i], yr, logY));
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
        if (se.markers) {
          b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", px, py, color));
        }
        if (se.lo != null && plottable(se.lo[i], logY) && plottable(se.hi[i], logY)) {
          double y1 = top + plotH * (1 - frac(se.lo[i], yr, logY));
          double y2 = top + plotH * (1 - frac(se.hi[i], yr, logY));
          b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", px, y1, px, y2, color));
          b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", px - 3, y1, px + 3, y1, color));
          b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", px - 3, y2, px + 3, y2, color));
        }
      }
      b.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\" points=\"%s\"/>", color, points.toString().trim()));
      int ly = height + legendLine * s + 4;
      b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>", left, ly + 6, left + 20, ly + 6, color));
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>", left + 26, ly + 10, esc(se.name)));
    }
    return b.append("</svg>").toString();
  }

  private static boolean plottable(double v, boolean log) {
    return Double.isFinite(v) && (!log || v > 0);
  }

  private double[] range(boolean x) {
    boolean log = x ? logX : logY;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      double[] vs = x ? s.x : s.y;
      for (int i = 0; i < vs.length; i++) {
        double[] candidates = x || s.lo == null ? new double[] {vs[i]} : new double[] {vs[i], s.lo[i], s.hi[i]};
        for (double v : candidates) {
          if (plottable(v, log)) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
          }
        }
      }
    }
    if (lo == Double.POSITIVE_INFINITY) {
      return new double[] {log ? 1 : 0, log ? 10 : 1};
    }
    if (log) {
      return new double[] {Math.pow(10, Math.floor(Math.log10(lo))), Math.pow(10, Math.ceil(Math.log10(hi * 1.0000001)))};
    }
    if (hi == lo) {
      hi = lo + 1;
    }
    return new double[] {lo, hi + (hi - lo) * 0.05};
  }

  private static double frac(double v, double[] r, boolean log) {
    return log ? (Math.log10(v) - Math.log10(r[0])) / (Math.log10(r[1]) - Math.log10(r[0])) : (v - r[0]) / (r[1] - r[0]);
  }

  private static List<Double> ticks(double[] r, boolean log) {
    List<Double> t = new ArrayList<>();
    if (log) {
      for (double d = r[0]; d <= r[1] * 1.0001; d *= 10) {
        t.add(d);
      }
      return t;
    }
    double span = r[1] - r[0];
    double step = Math.pow(10, Math.floor(Math.log10(span / 5)));
    if (span / step > 10) {
      step *= 2;
    }
    if (span / step > 10) {
      step *= 2.5;
    }
    for (double v = Math.ceil(r[0] / step) * step; v <= r[1] + step * 1e-9; v += step) {
      t.add(Math.abs(v) < step * 1e-9 ? 0 : v);
    }
    return t;
  }

  private static String label(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e9) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    String s = String.format(Locale.ROOT, "%.3g", v);
    return s.contains(".") && !s.contains("e") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
