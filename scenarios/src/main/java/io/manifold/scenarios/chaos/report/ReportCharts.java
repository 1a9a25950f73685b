package io.manifold.scenarios.chaos.report;

import io.manifold.scenarios.chaos.Scenario;
import io.manifold.scenarios.chaos.ScenarioResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's four charts over the run's time, each with the faults as bands: latency (p50, p99,
 * max), errors by code, throughput, and dynos up against dynos wanted.
 */
final class ReportCharts {
  static final int WIDTH = 960;
  static final int PLOT_HEIGHT = 200;
  /** Error codes drawn each in a colour of their own; the rest are summed as "other". */
  static final int MAX_CODES = 9;
  /** Latencies spanning this factor or more read better on a log axis (as the studies' charts do). */
  static final double LOG_SPAN = 20;

  private final ScenarioResult result;
  private final double[] start;
  private final double[] mid;
  private final double bucket;
  private final double end;
  private final List<TimeChart.Band> bands;

  ReportCharts(ScenarioResult result) {
    this.result = result;
    List<ScenarioResult.Point> points = result.series();
    this.bucket = ReportJson.bucketSeconds(points);
    this.start = new double[points.size()];
    this.mid = new double[points.size()];
    for (int i = 0; i < points.size(); i++) {
      start[i] = points.get(i).t();
      mid[i] = points.get(i).t() + bucket / 2;
    }
    this.end = end(result, bucket);
    this.bands = bands(result, end);
  }

  /** The time axis: as far as the series goes, or the scenario's length when there is none. */
  private static double end(ScenarioResult r, double bucket) {
    if (r.series().isEmpty()) {
      return r.scenario().duration().toNanos() / 1e9;
    }
    double last = r.series().get(r.series().size() - 1).t() + bucket;
    return Double.isFinite(r.abortedAtSeconds()) ? Math.max(last, r.abortedAtSeconds()) : last;
  }

  static List<TimeChart.Band> bands(ScenarioResult r, double end) {
    List<TimeChart.Band> bands = new ArrayList<>();
    for (ScenarioResult.FaultResult f : r.faults()) {
      Scenario.FaultDef def = ReportJson.fault(r.scenario(), f.index());
      double[] span = FaultTimes.span(def != null && FaultTimes.instant(def.fault()), f.firedSeconds(), f.healedSeconds(), end);
      if (span != null && span[0] <= end) { // healed after the run's end is drawn to it; fired after it, not at all
        String target = f.target() == null || f.target().isEmpty() ? "" : " (" + f.target() + ")";
        bands.add(new TimeChart.Band("#" + f.index() + " " + f.kind(), "fault " + f.index() + ": " + f.describe() + target
            + String.format(Locale.ROOT, ", from %.1f s", span[0])
            + (span[1] > span[0] ? String.format(Locale.ROOT, " to %.1f s", span[1]) : ""), span[0], span[1]));
      }
    }
    if (r.abortedBy() != null && Double.isFinite(r.abortedAtSeconds())) {
      bands.add(new TimeChart.Band("abort", "aborted: " + r.abortedBy(), r.abortedAtSeconds(), r.abortedAtSeconds()));
    }
    return bands;
  }

  void render(StringBuilder b) {
    figure(b, "Latency per second", "p50, p99 and the slowest request of each second, by when requests were due", latency());
    figure(b, "Errors by code", "errors per second, stacked by H-code, status or connection failure", errors());
    figure(b, "Throughput", "requests due and requests answered without an error, per second", throughput());
    figure(b, "Dynos", "dynos up against the dynos the formations want, over every app", dynos());
  }

  private static void figure(StringBuilder b, String title, String caption, TimeChart chart) {
    b.append("<figure><figcaption><strong>").append(Markup.esc(title)).append("</strong> ").append(Markup.esc(caption))
        .append("</figcaption>").append(chart.render(WIDTH, PLOT_HEIGHT, title + ": " + caption)).append("</figure>");
  }

  TimeChart latency() {
    double[] p50 = column(p -> p.p50Ms());
    double[] p99 = column(p -> p.p99Ms());
    double[] max = column(p -> p.maxMs());
    return new TimeChart("latency, ms", end, bands, spansWidely(p50, p99, max))
        .line("p50", TimeChart.COLORS[0], mid, p50, false)
        .line("p99", TimeChart.COLORS[1], mid, p99, false)
        .line("max", TimeChart.COLORS[7], mid, max, true);
  }

  /** Whether the positive values span {@link #LOG_SPAN} times or more. */
  static boolean spansWidely(double[]... series) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (double[] s : series) {
      for (double v : s) {
        if (Double.isFinite(v) && v > 0) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    return hi > 0 && hi / lo >= LOG_SPAN;
  }

  TimeChart errors() {
    Map<String, Long> totals = new HashMap<>();
    for (ScenarioResult.Point p : result.series()) {
      codes(p).forEach((code, n) -> totals.merge(code, n, Long::sum));
    }
    List<String> codes = new ArrayList<>(totals.keySet());
    codes.sort((a, c) -> totals.get(c).equals(totals.get(a)) ? a.compareTo(c) : Long.compare(totals.get(c), totals.get(a)));
    List<String> shown = codes.size() > MAX_CODES + 1 ? codes.subList(0, MAX_CODES) : codes;
    Map<String, double[]> layers = new LinkedHashMap<>();
    for (String code : shown) {
      layers.put(code, new double[start.length]);
    }
    double[] other = new double[start.length];
    boolean anyOther = false;
    for (int i = 0; i < start.length; i++) {
      for (Map.Entry<String, Long> e : codes(result.series().get(i)).entrySet()) {
        double perSecond = e.getValue() / bucket;
        double[] layer = layers.get(e.getKey());
        if (layer != null) {
          layer[i] += perSecond;
        } else {
          other[i] += perSecond;
          anyOther = true;
        }
      }
    }
    TimeChart chart = new TimeChart("errors per second", end, bands, false);
    int k = 0;
    for (Map.Entry<String, double[]> layer : layers.entrySet()) {
      chart.bars(layer.getKey(), TimeChart.COLORS[(k++ + 1) % TimeChart.COLORS.length], start, layer.getValue(), bucket);
    }
    if (anyOther) {
      chart.bars("other codes", "#555", start, other, bucket);
    }
    if (chart.empty()) {
      chart.line("no errors", "#2ca02c", mid, new double[start.length], false);
    }
    return chart;
  }

  TimeChart throughput() {
    return new TimeChart("requests per second", end, bands, false)
        .line("answered without error", TimeChart.COLORS[2], mid, column(p -> p.okPerSecond()), false)
        .line("due", TimeChart.COLORS[0], mid, column(p -> p.requests() / bucket), true); // dashed: on top, the gap between them shows
  }

  TimeChart dynos() {
    return new TimeChart("dynos", end, bands, false)
        .steps("up", TimeChart.COLORS[2], start, column(p -> p.dynosUp()), bucket, false)
        .steps("wanted", TimeChart.COLORS[7], start, column(p -> p.dynosWanted()), bucket, true);
  }

  private static Map<String, Long> codes(ScenarioResult.Point p) {
    return p.errorsByCode() == null ? Map.of() : p.errorsByCode();
  }

  private interface Field {
    double of(ScenarioResult.Point p);
  }

  private double[] column(Field f) {
    double[] v = new double[start.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = f.of(result.series().get(i));
    }
    return v;
  }
}
