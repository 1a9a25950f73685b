package io.manifold.scenarios.chaos.report;

import static io.manifold.scenarios.chaos.report.Markup.esc;

import io.manifold.scenarios.chaos.Scenario;
import io.manifold.scenarios.chaos.ScenarioResult;
import io.manifold.scenarios.chaos.ScenarioText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code report.html}: one self-contained page (inline CSS and SVG, no script, nothing fetched, so
 * that it reads the same from a file and under the console's {@code sandbox} policy): the verdict,
 * the expectations and the faults, charts over time with the faults marked, the latency
 * percentiles and totals, and the inputs a reader needs to run it again. Every text that comes
 * from the scenario or an error message is escaped.
 */
final class ReportHtml {
  private static final String STYLE = "body{font-family:sans-serif;margin:24px;max-width:1000px;color:#222}"
      + "h1{margin-bottom:4px}h2{margin-top:28px}.meta,.note{color:#555;font-size:13px}"
      + "table{border-collapse:collapse;font-size:13px;margin:6px 0}td,th{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top}"
      + "th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
      + ".verdict{padding:12px 16px;border-radius:6px;margin:14px 0;font-size:16px}.verdict strong{font-size:20px;margin-right:8px}"
      + ".verdict.passed{background:#e6f4ea;border:1px solid #2e7d32}.verdict.failed{background:#fdecea;border:1px solid #c62828}"
      + ".verdict.error{background:#fff4e5;border:1px solid #ef6c00}.summary{font-size:13px;margin-top:6px}"
      + "td.met{color:#1b5e20;font-weight:bold}td.notmet{color:#b71c1c;font-weight:bold}"
      + "figure{margin:18px 0}figcaption{font-size:13px;margin:4px 0}code{background:#f3f3f3;padding:1px 4px}";

  private ReportHtml() {}

  static String render(ScenarioResult r) {
    Scenario s = r.scenario();
    StringBuilder b = new StringBuilder(128 * 1024);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>").append(esc(s.name() + ": " + r.outcome())).append("</title><style>").append(STYLE).append("</style></head><body>\n");
    b.append("<h1>").append(esc(s.name())).append("</h1>");
    if (s.description() != null && !s.description().isBlank()) {
      b.append("<p>").append(esc(s.description())).append("</p>");
    }
    b.append("<p class=\"meta\">").append(esc(s.file())).append(" · started ").append(esc(String.valueOf(r.startedAt())))
        .append(" · finished ").append(esc(String.valueOf(r.finishedAt()))).append(" · seed ").append(r.seed()).append("</p>\n");
    verdict(b, r);
    expectations(b, r);
    faults(b, r);
    b.append("<h2>Over time</h2>");
    if (r.series().isEmpty()) {
      b.append("<p>The load never started: there is nothing to draw.</p>\n");
    } else {
      new ReportCharts(r).render(b);
      double bucket = ReportJson.bucketSeconds(r.series());
      b.append("<p class=\"note\">Each ").append(bucket == 1 ? "second" : String.format(Locale.ROOT, "point (%.0f s, as the run is long)", bucket))
          .append(" counts the requests due in it (by their arrival), however late their answer came."
          + " Shaded bands: a fault from when it fired to when it was healed (to the end of the chart when it was not);"
          + " a dashed line: a fault that happens at once.</p>\n");
    }
    latency(b, r.totals());
    totals(b, r.totals());
    inputs(b, r);
    return b.append("</body></html>\n").toString();
  }

  private static void verdict(StringBuilder b, ScenarioResult r) {
    int n = r.expectations().size();
    long met = r.expectations().stream().filter(ScenarioResult.ExpectationResult::met).count();
    String word;
    String why;
    if (ScenarioResult.ERROR.equals(r.outcome())) {
      word = "Error";
      why = "the run could not complete: " + (r.problem() == null ? "(no reason given)" : r.problem());
    } else if (r.abortedBy() != null) {
      word = "Failed";
      why = "aborted" + (Double.isFinite(r.abortedAtSeconds()) ? String.format(Locale.ROOT, " at %.1f s", r.abortedAtSeconds()) : "")
          + ": " + r.abortedBy();
    } else if (ScenarioResult.PASSED.equals(r.outcome())) {
      word = "Passed";
      why = n == 0 ? "no expectations to check" : n == 1 ? "the expectation was met" : "all " + n + " expectations met";
    } else {
      word = "Failed";
      why = (n - met) + " of " + n + (n == 1 ? " expectation" : " expectations") + " not met";
    }
    String css = ScenarioResult.PASSED.equals(r.outcome()) ? "passed" : ScenarioResult.FAILED.equals(r.outcome()) ? "failed" : "error";
    b.append("<div class=\"verdict ").append(css).append("\" id=\"verdict\"><strong>").append(word).append("</strong>")
        .append(esc(why)).append("<div class=\"summary\">").append(esc(ReportJson.tally(r))).append("</div></div>\n");
  }

  private static void expectations(StringBuilder b, ScenarioResult r) {
    b.append("<h2>Expectations</h2>");
    if (r.expectations().isEmpty()) {
      b.append("<p>No expectations.</p>");
      return;
    }
    b.append("<table id=\"expectations\"><tr><th>verdict</th><th>expectation</th><th>measured</th><th>bound</th><th>detail</th></tr>");
    for (ScenarioResult.ExpectationResult e : r.expectations()) {
      b.append("<tr><td class=\"").append(e.met() ? "met\">met" : "notmet\">not met").append("</td><td>").append(esc(e.describe()))
          .append("</td><td class=\"n\">").append(esc(e.measuredText())).append("</td><td>").append(esc(e.bound()))
          .append("</td><td>").append(esc(e.detail())).append("</td></tr>");
    }
    b.append("</table>\n");
  }

  private static void faults(StringBuilder b, ScenarioResult r) {
    b.append("<h2>Faults</h2>");
    if (r.faults().isEmpty()) {
      b.append("<p>No faults.</p>");
      return;
    }
    boolean nodes = r.faults().stream().anyMatch(f -> Double.isFinite(f.detectionSeconds()) || Double.isFinite(f.removalSeconds())
        || Double.isFinite(f.replacementSeconds()) || (f.lostDynos() != null && !f.lostDynos().isEmpty()));
    b.append("<table id=\"faults\"><tr><th>#</th><th>fault</th><th>target</th><th>fired</th><th>healed</th><th>recovery</th>");
    if (nodes) {
      b.append("<th>detection</th><th>removal</th><th>re-placement</th><th>dynos lost</th>");
    }
    b.append("<th>problem</th></tr>");
    for (ScenarioResult.FaultResult f : r.faults()) {
      Scenario.FaultDef def = ReportJson.fault(r.scenario(), f.index());
      boolean instant = def != null && FaultTimes.instant(def.fault());
      b.append("<tr><td class=\"n\">").append(f.index()).append("</td><td>").append(esc(f.describe())).append("</td><td>")
          .append(esc(f.target())).append("</td><td class=\"n\">").append(seconds(f.firedSeconds())).append("</td><td class=\"n\">")
          .append(healed(f, instant))
          .append("</td><td class=\"n\">").append(recovery(f)).append("</td>");
      if (nodes) {
        b.append("<td class=\"n\">").append(seconds(f.detectionSeconds())).append("</td><td class=\"n\">").append(seconds(f.removalSeconds()))
            .append("</td><td class=\"n\">").append(seconds(f.replacementSeconds())).append("</td><td>").append(esc(lost(f.lostDynos())))
            .append("</td>");
      }
      b.append("<td>").append(esc(f.problem())).append("</td></tr>");
    }
    b.append("</table><p class=\"note\">Times in seconds since the load started. Recovery: from the fault until every app's"
        + " formation was whole again on running nodes (0: it never broke). For a node: detection until another node saw it"
        + " unreachable, removal until it was downed and gone, re-placement until the first of its dynos started elsewhere,"
        + " each from the fault.</p>\n");
  }

  private static String healed(ScenarioResult.FaultResult f, boolean instant) {
    if (!Double.isFinite(f.firedSeconds())) {
      return "–";
    }
    if (instant) {
      return "at once";
    }
    return Double.isFinite(f.healedSeconds()) ? seconds(f.healedSeconds()) : "not healed";
  }

  private static String recovery(ScenarioResult.FaultResult f) {
    if (!Double.isFinite(f.firedSeconds())) {
      return "–";
    }
    return Double.isFinite(f.recoverySeconds()) ? seconds(f.recoverySeconds()) : "not whole again before the end";
  }

  private static String lost(Map<String, List<String>> lost) {
    if (lost == null || lost.isEmpty()) {
      return "";
    }
    return new TreeMap<>(lost).entrySet().stream().map(e -> e.getKey() + ": " + String.join(", ", e.getValue()))
        .collect(Collectors.joining("; "));
  }

  private static void latency(StringBuilder b, ScenarioResult.Totals t) {
    b.append("<h2>Latency</h2>");
    if (t == null) {
      b.append("<p>Nothing was measured.</p>");
      return;
    }
    b.append("<table id=\"latency\"><tr><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th></tr><tr>");
    for (double v : new double[] {t.p50Ms(), t.p90Ms(), t.p99Ms(), t.p999Ms(), t.maxMs()}) {
      b.append("<td class=\"n\">").append(esc(ScenarioText.nanos(v * 1e6))).append("</td>");
    }
    b.append("</tr></table><p class=\"note\">Of the requests that got an HTTP answer (the router&#39;s and the app&#39;s errors included), over the whole run.</p>\n");
  }

  private static void totals(StringBuilder b, ScenarioResult.Totals t) {
    if (t == null) {
      return;
    }
    b.append("<h2>Totals</h2><table id=\"totals\">");
    row(b, "requests", ReportJson.count(t.requests()));
    row(b, "answered without error", ReportJson.count(t.ok()));
    row(b, "errors", ReportJson.count(t.errors()) + " (" + ReportJson.percent(t.errorRate()) + ")");
    row(b, "lost (sent, never answered)", ReportJson.count(t.lost()));
    row(b, "not sent (too many open)", ReportJson.count(t.notSent()));
    row(b, "connection errors", ReportJson.count(t.connectionErrors()));
    row(b, "log lines published", ReportJson.count(t.logLinesPublished()));
    row(b, "log lines dropped", ReportJson.count(t.logLinesDropped()));
    b.append("</table>");
    if (t.byCode() != null && !t.byCode().isEmpty()) {
      b.append("<table id=\"codes\"><tr><th>code</th><th>requests</th><th>share</th></tr>");
      new TreeMap<>(t.byCode()).forEach((code, n) -> b.append("<tr><td>").append(esc(code)).append("</td><td class=\"n\">")
          .append(ReportJson.count(n)).append("</td><td class=\"n\">")
          .append(t.requests() == 0 ? "–" : ReportJson.percent((double) n / t.requests())).append("</td></tr>"));
      b.append("</table><p class=\"note\">By H-code (the router's own answers), HTTP status (the app's), or what became of"
          + " a request that got no answer (lost, not-sent, a connection failure).</p>\n");
    }
  }

  private static void inputs(StringBuilder b, ScenarioResult r) {
    Scenario s = r.scenario();
    b.append("<h2>Inputs</h2><table id=\"inputs\">");
    row(b, "scenario file", s.file());
    row(b, "seed", Long.toString(r.seed()));
    row(b, "inputs digest", r.inputs());
    row(b, "version", r.version());
    row(b, "duration", ScenarioText.duration(s.duration()));
    row(b, "nodes", Integer.toString(s.nodes()));
    row(b, "router", s.router().policy() + ", timeout " + ScenarioText.duration(s.router().timeout()));
    row(b, "arrivals drawn", ReportJson.count(r.arrivals()));
    if (Double.isFinite(r.maxLatenessMs())) {
      row(b, "latest send", ScenarioText.nanos(r.maxLatenessMs() * 1e6) + " after its due time");
    }
    b.append("</table><p class=\"note\">To run it again with the same inputs: <code>./manifold scenario run ")
        .append(esc(s.file())).append(" --seed ").append(r.seed()).append("</code>. The same seed draws the same arrival and"
        + " service times and the same dynos for the faults (the same inputs digest); thread scheduling on a real cluster"
        + " still varies.</p>");
    b.append("<h3>Apps</h3><table id=\"apps\"><tr><th>app</th><th>runtime</th><th>formation</th><th>service</th><th>config</th></tr>");
    s.apps().values().stream().sorted((x, y) -> x.name().compareTo(y.name())).forEach(a -> b.append("<tr><td>").append(esc(a.name()))
        .append("</td><td>").append(esc((a.synthetic() ? "synthetic" : "procfile: " + a.procfileDir()) + (a.policy() == null ? "" : ", routed " + a.policy())))
        .append("</td><td>")
        .append(esc(pairs(a.formation()))).append("</td><td>").append(esc(service(a.service()))).append("</td><td>")
        .append(esc(pairs(a.config()))).append("</td></tr>"));
    b.append("</table><h3>Load</h3><table id=\"load\"><tr><th>app</th><th>arrivals</th><th>from</th><th>for</th><th>path</th><th>via</th></tr>");
    for (Scenario.LoadDef l : s.load()) {
      b.append("<tr><td>").append(esc(l.app())).append("</td><td>").append(esc(arrivals(l.arrivals()))).append("</td><td>")
          .append(esc(ScenarioText.duration(l.start()))).append("</td><td>").append(esc(ScenarioText.duration(l.duration())))
          .append("</td><td>").append(esc(l.path())).append("</td><td>")
          .append(esc(l.via().isEmpty() ? "every live node" : "nodes " + l.via())).append("</td></tr>");
    }
    b.append("</table>");
    if (!s.faults().isEmpty()) {
      b.append("<h3>Fault timeline</h3><table id=\"plan\"><tr><th>#</th><th>at</th><th>for</th><th>fault</th><th>where</th></tr>");
      for (Scenario.FaultDef f : s.faults()) {
        b.append("<tr><td class=\"n\">").append(f.index()).append("</td><td>").append(esc(ScenarioText.duration(f.at()))).append("</td><td>")
            .append(esc(f.lasts() == null ? "" : ScenarioText.duration(f.lasts()))).append("</td><td>").append(esc(f.fault().describe()))
            .append("</td><td>").append(esc(String.valueOf(f.location()))).append("</td></tr>");
      }
      b.append("</table>");
    }
    if (!s.abort().isEmpty()) {
      b.append("<h3>Abort when</h3><ul>");
      s.abort().forEach(a -> b.append("<li>").append(esc(a.describe())).append("</li>"));
      b.append("</ul>");
    }
    b.append('\n');
  }

  private static String pairs(Map<String, ?> m) {
    return m == null ? "" : new TreeMap<>(m).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
  }

  private static String service(Scenario.Service sv) {
    if (sv == null) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    if (sv.time() != null) {
      parts.add("time " + sv.time());
    }
    if (sv.concurrency() != null) {
      parts.add("concurrency " + sv.concurrency());
    }
    if (sv.backlog() != null) {
      parts.add("backlog " + sv.backlog());
    }
    if (sv.boot() != null) {
      parts.add("boot " + sv.boot());
    }
    if (sv.errors() != null) {
      parts.add("errors " + ScenarioText.percent(sv.errors()));
    }
    if (sv.memory() != null) {
      parts.add("memory " + sv.memory());
    }
    return String.join(", ", parts);
  }

  static String arrivals(Scenario.Arrivals a) {
    if (a instanceof Scenario.Open o) {
      List<String> segments = new ArrayList<>();
      for (Scenario.Segment seg : o.profile()) {
        String rate = seg.from() == seg.to() ? rate(seg.from()) : rate(seg.from()) + " to " + rate(seg.to());
        segments.add(rate + " for " + ScenarioText.duration(seg.length()));
      }
      return (o.poisson() ? "poisson" : "constant") + ": " + String.join(", then ", segments);
    }
    if (a instanceof Scenario.Closed c) {
      return c.users() + " users, think time " + c.think();
    }
    if (a instanceof Scenario.Replay rp) {
      return "replay of " + rp.file() + " (" + (rp.atNanos() == null ? 0 : rp.atNanos().length) + " requests)";
    }
    return String.valueOf(a);
  }

  private static String rate(double perSecond) {
    return (perSecond == Math.rint(perSecond) ? String.format(Locale.ROOT, "%.0f", perSecond) : String.format(Locale.ROOT, "%.2f", perSecond)) + "/s";
  }

  private static void row(StringBuilder b, String k, String v) {
    b.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>");
  }

  private static String seconds(double s) {
    return Double.isFinite(s) ? String.format(Locale.ROOT, "%.1f s", s) : "–";
  }
}
