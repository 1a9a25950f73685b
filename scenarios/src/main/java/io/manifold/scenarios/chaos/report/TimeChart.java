package io.manifold.scenarios.chaos.report;

import static io.manifold.scenarios.chaos.report.Markup.esc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A chart over a run's time as inline SVG: lines (or steps) and stacked bars against seconds since
 * t = 0, a linear or logarithmic y axis, and every fault as a shaded band from when it fired to
 * when it was healed (a dashed mark for one that happens at once), labelled with its number and
 * kind. No script and nothing fetched: the page must read the same from a file or in a sandbox.
 */
final class TimeChart {
  static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};
  private static final int LEFT = 64;
  private static final int RIGHT = 16;
  private static final int TOP = 8;
  private static final int BOTTOM = 36;
  private static final int LEGEND_ITEM = 130;
  private static final int LEGEND_LINE = 16;

  /** A fault's span in seconds since t = 0; {@code from == to} for one that happens at once. */
  record Band(String label, String title, double from, double to) {}

  private record Line(String name, String color, double[] x, double[] y, boolean dashed, double stepWidth) {}

  private record Bars(String name, String color, double[] x, double[] y) {}

  private final String yLabel;
  private final double xEnd;
  private final List<Band> bands;
  private final boolean logY;
  private final List<Line> lines = new ArrayList<>();
  private final List<Bars> bars = new ArrayList<>();
  private double barWidth = 1;

  /**
   * @param xEnd the end of the time axis in seconds (the run's length, or where it stopped)
   * @param logY a logarithmic y axis: for latencies that span 20x or more
   */
  TimeChart(String yLabel, double xEnd, List<Band> bands, boolean logY) {
    this.yLabel = yLabel;
    this.xEnd = xEnd > 0 ? xEnd : 1;
    this.bands = List.copyOf(bands);
    this.logY = logY;
  }

  /** A line through (x, y); NaN leaves a gap. */
  TimeChart line(String name, String color, double[] x, double[] y, boolean dashed) {
    lines.add(new Line(name, color, x, y, dashed, 0));
    return this;
  }

  /** A value that holds from each x for {@code width} seconds, drawn as steps. */
  TimeChart steps(String name, String color, double[] x, double[] y, double width, boolean dashed) {
    lines.add(new Line(name, color, x, y, dashed, width));
    return this;
  }

  /** One layer of stacked bars, each {@code width} seconds wide from its x; layers stack in the order added. */
  TimeChart bars(String name, String color, double[] x, double[] y, double width) {
    bars.add(new Bars(name, color, x, y));
    barWidth = width;
    return this;
  }

  boolean empty() {
    return lines.isEmpty() && bars.isEmpty();
  }

  String render(int width, int plotHeight, String description) {
    int plotW = width - LEFT - RIGHT;
    int perRow = Math.max(1, plotW / LEGEND_ITEM);
    int items = lines.size() + bars.size();
    int legendRows = (items + perRow - 1) / perRow;
    int height = TOP + plotHeight + BOTTOM + legendRows * LEGEND_LINE + 4;
    double[] yr = yRange();
    StringBuilder b = new StringBuilder(16 * 1024);
    b.append(String.format(Locale.ROOT,
        "<svg class=\"chart\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" font-family=\"sans-serif\" font-size=\"11\">",
        width, height, width, height));
    b.append("<title>").append(esc(description)).append("</title>");
    b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fff\" stroke=\"#999\"/>",
        LEFT, TOP, plotW, plotHeight));
    for (double t : ticks(new double[] {0, xEnd}, false)) {
      double px = x(t, plotW);
      b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>", px, TOP, px, TOP + plotHeight));
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", px, TOP + plotHeight + 14, label(t)));
    }
    for (double t : ticks(yr, logY)) {
      double py = y(t, yr, plotHeight);
      b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>", LEFT, py, LEFT + plotW, py));
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", LEFT - 4, py + 4, label(t)));
    }
    b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">seconds since the load started</text>",
        LEFT + plotW / 2.0, TOP + plotHeight + 30));
    b.append(String.format(Locale.ROOT, "<text transform=\"translate(14,%.1f) rotate(-90)\" text-anchor=\"middle\">%s%s</text>",
        TOP + plotHeight / 2.0, esc(yLabel), logY ? " (log scale)" : ""));
    bands(b, plotW, plotHeight);
    stacked(b, yr, plotW, plotHeight);
    for (Line l : lines) {
      b.append("<path fill=\"none\" stroke=\"").append(l.color).append("\" stroke-width=\"1.6\"")
          .append(l.dashed ? " stroke-dasharray=\"5 3\"" : "").append(" d=\"").append(path(l, yr, plotW, plotHeight)).append("\"/>");
    }
    legend(b, perRow, TOP + plotHeight + BOTTOM);
    return b.append("</svg>").toString();
  }

  private void bands(StringBuilder b, int plotW, int plotHeight) {
    for (int i = 0; i < bands.size(); i++) {
      Band band = bands.get(i);
      double from = x(Math.min(band.from(), xEnd), plotW);
      double to = x(Math.min(band.to(), xEnd), plotW);
      b.append("<g class=\"fault\"><title>").append(esc(band.title())).append("</title>");
      if (band.to() <= band.from()) {
        b.append(String.format(Locale.ROOT,
            "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#c77c00\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\"/>",
            from, TOP, from, TOP + plotHeight));
      } else {
        b.append(String.format(Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#f0ad4e\" fill-opacity=\"0.22\" stroke=\"#e0962a\" stroke-opacity=\"0.6\"/>",
            from, TOP, Math.max(1.5, to - from), plotHeight));
      }
      // labels take turns on three rows, so that faults close together stay readable
      boolean nearRight = from > LEFT + plotW - 110;
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#7a4a00\" font-size=\"10\"%s>%s</text></g>",
          nearRight ? from - 3 : from + 3, TOP + 12 + 12 * (i % 3), nearRight ? " text-anchor=\"end\"" : "", esc(band.label())));
    }
  }

  private void stacked(StringBuilder b, double[] yr, int plotW, int plotHeight) {
    if (bars.isEmpty()) {
      return;
    }
    int n = bars.get(0).x.length;
    double[] base = new double[n];
    for (Bars layer : bars) {
      StringBuilder d = new StringBuilder();
      for (int i = 0; i < n && i < layer.x.length; i++) {
        double v = layer.y[i];
        if (!(v > 0)) {
          continue;
        }
        double x0 = x(layer.x[i], plotW);
        double x1 = x(Math.min(layer.x[i] + barWidth, xEnd), plotW);
        double y0 = y(base[i], yr, plotHeight);
        double y1 = y(base[i] + v, yr, plotHeight);
        d.append(String.format(Locale.ROOT, "M%.1f %.1fH%.1fV%.1fH%.1fZ", x0, y0, Math.max(x1 - 0.3, x0 + 0.7), y1, x0));
        base[i] += v;
      }
      if (d.length() > 0) {
        b.append("<path fill=\"").append(layer.color).append("\" d=\"").append(d).append("\"/>");
      }
    }
  }

  private String path(Line l, double[] yr, int plotW, int plotHeight) {
    StringBuilder d = new StringBuilder();
    boolean open = false;
    for (int i = 0; i < l.x.length; i++) {
      if (!plottable(l.y[i]) || !Double.isFinite(l.x[i]) || l.x[i] > xEnd) {
        open = false;
        continue;
      }
      double px = x(l.x[i], plotW);
      double py = y(l.y[i], yr, plotHeight);
      if (l.stepWidth > 0) {
        double end = x(Math.min(l.x[i] + l.stepWidth, xEnd), plotW);
        d.append(open ? String.format(Locale.ROOT, "V%.1fH%.1f", py, end) : String.format(Locale.ROOT, "M%.1f %.1fH%.1f", px, py, end));
      } else {
        d.append(String.format(Locale.ROOT, "%s%.1f %.1f", open ? "L" : "M", px, py));
      }
      open = true;
    }
    return d.length() == 0 ? "M0 0" : d.toString();
  }

  private void legend(StringBuilder b, int perRow, int top) {
    int k = 0;
    for (Line l : lines) {
      legendItem(b, k++, perRow, top, l.color, l.name, l.dashed);
    }
    for (Bars layer : bars) {
      legendItem(b, k++, perRow, top, layer.color, layer.name, false);
    }
  }

  private static void legendItem(StringBuilder b, int k, int perRow, int top, String color, String name, boolean dashed) {
    int x = LEFT + (k % perRow) * LEGEND_ITEM;
    int y = top + (k / perRow) * LEGEND_LINE;
    b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"4\"%s/>",
        x, y + 6, x + 20, y + 6, color, dashed ? " stroke-dasharray=\"5 3\"" : ""));
    b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>", x + 26, y + 10, esc(name)));
  }

  private double x(double t, int plotW) {
    return LEFT + plotW * Math.max(0, Math.min(1, t / xEnd));
  }

  private double y(double v, double[] yr, int plotHeight) {
    double f;
    if (logY) {
      f = v <= 0 ? 0 : (Math.log10(v) - Math.log10(yr[0])) / (Math.log10(yr[1]) - Math.log10(yr[0]));
    } else {
      f = (v - yr[0]) / (yr[1] - yr[0]);
    }
    return TOP + plotHeight * (1 - Math.max(0, Math.min(1, f)));
  }

  private boolean plottable(double v) {
    return Double.isFinite(v) && (!logY || v > 0);
  }

  private double[] yRange() {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Line l : lines) {
      for (double v : l.y) {
        if (plottable(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (!bars.isEmpty()) {
      double[] sum = new double[bars.get(0).x.length];
      for (Bars layer : bars) {
        for (int i = 0; i < sum.length && i < layer.y.length; i++) {
          if (layer.y[i] > 0) {
            sum[i] += layer.y[i];
          }
        }
      }
      for (double v : sum) {
        if (v > 0) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (logY) {
      if (lo == Double.POSITIVE_INFINITY) {
        return new double[] {1, 10};
      }
      return new double[] {Math.pow(10, Math.floor(Math.log10(lo))), Math.pow(10, Math.ceil(Math.log10(hi * 1.0000001)))};
    }
    if (hi == Double.NEGATIVE_INFINITY || hi <= 0) {
      return new double[] {0, 1};
    }
    return new double[] {0, niceCeiling(hi * 1.05)};
  }

  /** The axis ends on a round number: 1, 2, 2.5 or 5 times a power of ten. */
  private static double niceCeiling(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
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
}
