package io.manifold.scenarios.study;

import static io.manifold.scenarios.study.SvgChart.esc;

import io.manifold.sim.dist.Units;
import io.manifold.sim.record.LatencyStats;
import io.manifold.sim.run.CellResult;
import io.manifold.sim.stats.Estimate;
import io.manifold.sim.stats.Metric;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * {@code report.html}: one self-contained page (inline CSS and SVG, no script, nothing fetched):
 * the study's set-up, the summary table with 95% intervals, latency CDFs per policy, and mean and
 * p99 against the swept load (or dyno count, or another numeric parameter).
 */
public final class HtmlReport {
  /** Numeric parameters a chart can have on its x axis, in order of preference. */
  private static final List<String> X_AXES = List.of("rho", "rate", "dynos", "router-nodes", "concurrency");
  private static final double[] CDF_LEVELS = cdfLevels();

  private HtmlReport() {}

  public static void write(StudyResult result, Path file) {
    try {
      Files.writeString(file, render(result), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  static String render(StudyResult result) {
    Study s = result.study();
    StringBuilder b = new StringBuilder(64 * 1024);
    b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(s.name())).append("</title><style>")
        .append("body{font-family:sans-serif;margin:24px;max-width:1200px;color:#222}")
        .append("table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 7px;text-align:right}")
        .append("th{background:#f3f3f3}td.p{text-align:left}.charts{display:flex;flex-wrap:wrap;gap:18px}")
        .append("figure{margin:0}figcaption{font-size:13px;font-weight:bold;margin:4px 0}.note{color:#555;font-size:13px}")
        .append("</style></head><body>");
    b.append("<h1>").append(esc(s.name())).append("</h1>");
    if (!s.description().isBlank()) {
      b.append("<p>").append(esc(s.description())).append("</p>");
    }
    setup(b, result);
    table(b, result);
    cdfs(b, result);
    againstX(b, result);
    outcomes(b, result);
    b.append("<p class=\"note\">Response time: from a request's arrival at a router to its answer. Queueing time: from its arrival to"
        + " the moment a dyno started serving it (at the router and at the dyno). Intervals: 95%, Student t over the replications."
        + " Replication r of every cell plays the same arrivals and service times (common random numbers), so differences"
        + " between cells are the routing's.</p>");
    return b.append("</body></html>\n").toString();
  }

  private static void setup(StringBuilder b, StudyResult result) {
    Study s = result.study();
    Study.App a = s.app();
    b.append("<h2>Set-up</h2><table>");
    row(b, "source", s.source());
    row(b, "time", s.time().word());
    row(b, "seed", Long.toString(s.seed()));
    row(b, "replications", s.replications() + " per cell");
    row(b, "warm-up, measured", Units.format(s.warmup().toNanos()) + " discarded, then " + Units.format(s.duration().toNanos()));
    row(b, "app", a.dynos() + " web dynos, concurrency " + a.concurrency() + ", service " + a.service()
        + ", boot " + a.boot() + ", errors " + Numbers.percent(a.errorRate()) + ", backlog " + a.backlog());
    row(b, "router", s.router().policy() + ", " + s.router().nodes() + " node(s), queue at the " + s.router().queue().word()
        + ", time-out " + Units.format(s.router().timeout().toNanos()));
    row(b, "load", describe(s.load()));
    if (!s.compare().isEmpty()) {
      StringBuilder c = new StringBuilder();
      for (Study.Sweep sw : s.compare()) {
        c.append(c.length() == 0 ? "" : "; ").append(sw.parameter()).append(": ").append(String.join(", ", sw.values()));
      }
      row(b, "compare", c.toString());
    }
    b.append("</table>");
  }

  private static String describe(Study.Load load) {
    if (load instanceof Study.Closed c) {
      return c.users() + " users, think time " + c.think();
    }
    if (load instanceof Study.Replay r) {
      return "replay of " + r.file();
    }
    Study.Open o = (Study.Open) load;
    String kind = o.arrivals().name().toLowerCase(java.util.Locale.ROOT);
    if (o.level() != null) {
      return kind + " arrivals, " + (o.level().rho() ? "rho " : "") + o.level();
    }
    if (o.profile().isEmpty()) {
      return kind + " arrivals at the swept rate";
    }
    List<String> parts = new ArrayList<>();
    for (Study.Segment seg : o.profile()) {
      parts.add(Units.format(seg.length().toNanos()) + " at " + seg.from() + (seg.from().equals(seg.to()) ? "" : " to " + seg.to()));
    }
    return kind + " arrivals: " + String.join(", ", parts);
  }

  private static void row(StringBuilder b, String k, String v) {
    b.append("<tr><th>").append(esc(k)).append("</th><td class=\"p\">").append(esc(v)).append("</td></tr>");
  }

  private static void table(StringBuilder b, StudyResult result) {
    b.append("<h2>Results</h2><table><tr><th>cell</th>");
    result.parameters().forEach(p -> b.append("<th>").append(esc(p)).append("</th>"));
    b.append("<th>requests</th><th>mean ms</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th>")
        .append("<th>queue mean</th><th>queue p99</th><th>queued</th><th>throughput/s</th><th>errors</th></tr>");
    for (CellResult c : result.cells()) {
      b.append("<tr><td>").append(c.cell().index() + 1).append("</td>");
      result.parameters().forEach(p -> b.append("<td class=\"p\">").append(esc(c.cell().params().get(p))).append("</td>"));
      b.append("<td>").append(Numbers.count(c.requests())).append("</td>");
      for (Metric m : new Metric[] {Metric.RESPONSE_MEAN, Metric.RESPONSE_P50, Metric.RESPONSE_P90, Metric.RESPONSE_P99,
          Metric.RESPONSE_P999, Metric.RESPONSE_MAX, Metric.QUEUE_MEAN, Metric.QUEUE_P99}) {
        Estimate e = c.get(m);
        b.append("<td>").append(Numbers.pm(e.mean(), e.halfWidth())).append("</td>");
      }
      b.append("<td>").append(Numbers.percent(c.get(Metric.QUEUED_SHARE).mean())).append("</td>");
      b.append("<td>").append(Numbers.pm(c.get(Metric.THROUGHPUT).mean(), c.get(Metric.THROUGHPUT).halfWidth())).append("</td>");
      b.append("<td>").append(Numbers.percent(c.get(Metric.ERROR_SHARE).mean())).append("</td></tr>");
    }
    b.append("</table>");
  }

  /** One chart per combination of the other parameters, a line per policy (or per cell). */
  private static void cdfs(StringBuilder b, StudyResult result) {
    Map<String, List<CellResult>> groups = group(result, "policy");
    b.append("<h2>Response time distribution</h2><div class=\"charts\">");
    for (Map.Entry<String, List<CellResult>> g : groups.entrySet()) {
      for (int from = 0; from < g.getValue().size(); from += SvgChart.COLORS.length) {
        SvgChart chart = new SvgChart("response time, ms (log scale)", "share of requests answered", true, false);
        for (CellResult c : g.getValue().subList(from, Math.min(g.getValue().size(), from + SvgChart.COLORS.length))) {
          double[][] cdf = cdf(c.response());
          chart.add(lineName(c, result, "policy"), cdf[0], cdf[1], null, null, false);
        }
        figure(b, g.getKey().isEmpty() ? "all cells" : g.getKey(), chart);
      }
    }
    b.append("</div>");
  }

  /** Mean and p99 against the first numeric swept parameter, a line per value of the others. */
  private static void againstX(StringBuilder b, StudyResult result) {
    String x = X_AXES.stream().filter(result.parameters()::contains).findFirst().orElse(null);
    if (x == null) {
      return;
    }
    Map<String, List<CellResult>> lines = new LinkedHashMap<>();
    for (CellResult c : result.cells()) {
      lines.computeIfAbsent(lineName(c, result, x), k -> new ArrayList<>()).add(c);
    }
    double[] all = result.cells().stream().mapToDouble(c -> numeric(c.cell().params().get(x))).filter(Double::isFinite).toArray();
    double lowest = java.util.Arrays.stream(all).min().orElse(1);
    double highest = java.util.Arrays.stream(all).max().orElse(1);
    boolean logX = lowest > 0 && highest / lowest >= 20; // 50 to 4,000 dynos reads better on a log scale
    b.append("<h2>Against ").append(esc(x)).append("</h2><div class=\"charts\">");
    for (Metric m : new Metric[] {Metric.RESPONSE_MEAN, Metric.RESPONSE_P99, Metric.QUEUE_MEAN}) {
      String y = switch (m) {
        case RESPONSE_MEAN -> "mean response time, ms (±95%)";
        case RESPONSE_P99 -> "p99 response time, ms (±95%)";
        default -> "mean queueing time, ms (±95%)";
      };
      SvgChart chart = new SvgChart(logX ? x + " (log scale)" : x, y, logX, false);
      for (Map.Entry<String, List<CellResult>> line : lines.entrySet()) {
        List<CellResult> cs = line.getValue();
        double[] xs = new double[cs.size()];
        double[] ys = new double[cs.size()];
        double[] lo = new double[cs.size()];
        double[] hi = new double[cs.size()];
        for (int i = 0; i < cs.size(); i++) {
          xs[i] = numeric(cs.get(i).cell().params().get(x));
          Estimate e = cs.get(i).get(m);
          ys[i] = e.mean();
          lo[i] = Double.isNaN(e.halfWidth()) ? Double.NaN : Math.max(0, e.lower()); // a time is never below 0
          hi[i] = Double.isNaN(e.halfWidth()) ? Double.NaN : e.upper();
        }
        chart.add(line.getKey().isEmpty() ? "all" : line.getKey(), xs, ys, lo, hi, true);
      }
      figure(b, (m == Metric.QUEUE_MEAN ? "queueing time" : m.label() + " response time") + " against " + x, chart);
    }
    b.append("</div>");
  }

  private static void outcomes(StringBuilder b, StudyResult result) {
    boolean anyError = result.cells().stream().anyMatch(c -> c.outcomes().keySet().stream().anyMatch(k -> !k.startsWith("2")));
    if (!anyError && result.unanswered() == 0) {
      return;
    }
    b.append("<h2>Answers by status</h2><table><tr><th>cell</th><th>answers</th><th>unanswered</th></tr>");
    for (CellResult c : result.cells()) {
      b.append("<tr><td>").append(c.cell().index() + 1).append("</td><td class=\"p\">").append(esc(c.outcomes().toString()))
          .append("</td><td>").append(c.unanswered()).append("</td></tr>");
    }
    b.append("</table>");
  }

  private static void figure(StringBuilder b, String caption, SvgChart chart) {
    b.append("<figure><figcaption>").append(esc(caption)).append("</figcaption>").append(chart.render(560, 340)).append("</figure>");
  }

  /** Cells grouped by every swept parameter but {@code except}. */
  private static Map<String, List<CellResult>> group(StudyResult result, String except) {
    Map<String, List<CellResult>> groups = new LinkedHashMap<>();
    for (CellResult c : result.cells()) {
      StringBuilder key = new StringBuilder();
      c.cell().params().forEach((k, v) -> {
        if (!k.equals(except)) {
          key.append(key.length() == 0 ? "" : " ").append(k).append('=').append(v);
        }
      });
      groups.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(c);
    }
    return groups;
  }

  /** A cell's name within its chart: the parameters that chart does not fix. */
  private static String lineName(CellResult c, StudyResult result, String varying) {
    if (!varying.equals("policy")) {
      List<String> others = c.cell().params().keySet().stream().filter(k -> !k.equals(varying)).toList();
      if (others.size() == 1) {
        return c.cell().params().get(others.get(0)); // the value says it: "random", "0.7"
      }
      StringBuilder name = new StringBuilder();
      others.forEach(k -> name.append(name.length() == 0 ? "" : " ").append(k).append('=').append(c.cell().params().get(k)));
      return name.toString();
    }
    String policy = c.cell().params().get("policy");
    return policy != null ? policy : c.cell().label();
  }

  private static double numeric(String v) {
    try {
      return v.endsWith("/s") ? Units.perSecond(v) : Double.parseDouble(v);
    } catch (IllegalArgumentException e) {
      return Double.NaN;
    }
  }

  /** The CDF from the merged histogram, in ms, at fixed levels that resolve the tail. */
  private static double[][] cdf(Histogram h) {
    double[] x = new double[CDF_LEVELS.length];
    double[] y = new double[CDF_LEVELS.length];
    for (int i = 0; i < CDF_LEVELS.length; i++) {
      x[i] = h.getTotalCount() == 0 ? Double.NaN : LatencyStats.percentile(h, CDF_LEVELS[i] * 100) / 1e6;
      y[i] = CDF_LEVELS[i];
    }
    return new double[][] {x, y};
  }

  private static double[] cdfLevels() {
    List<Double> levels = new ArrayList<>();
    for (int i = 1; i < 100; i++) {
      levels.add(i / 100.0);
    }
    for (double l : new double[] {0.995, 0.999, 0.9999, 1.0}) {
      levels.add(l);
    }
    return levels.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
