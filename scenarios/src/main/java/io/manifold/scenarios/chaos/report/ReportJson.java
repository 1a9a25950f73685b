package io.manifold.scenarios.chaos.report;

import static io.manifold.scenarios.chaos.report.ReportFiles.JSON;
import static io.manifold.scenarios.chaos.report.ReportFiles.counts;
import static io.manifold.scenarios.chaos.report.ReportFiles.instant;
import static io.manifold.scenarios.chaos.report.ReportFiles.num;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.manifold.scenarios.chaos.Scenario;
import io.manifold.scenarios.chaos.ScenarioResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code report.json}: everything a run measured and the scenario as it ran. The console lists
 * runs by the top-level {@code scenario} (the name, a string), {@code started_at},
 * {@code finished_at}, {@code outcome} and {@code summary}; the scenario itself is under
 * {@code definition}. Numbers that were not measured are {@code null}, never NaN. The shape is
 * versioned by {@code report_format}; the README lists the fields.
 */
final class ReportJson {
  /** Raised when a field changes meaning or goes away; adding a field does not raise it. */
  static final int FORMAT = 1;

  private ReportJson() {}

  static ObjectNode of(ScenarioResult r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("report_format", FORMAT);
    o.put("scenario", r.scenario().name());
    instant(o, "started_at", r.startedAt());
    instant(o, "finished_at", r.finishedAt());
    o.put("outcome", r.outcome());
    o.put("summary", summary(r));
    o.put("exit_code", r.exitCode());
    o.put("problem", r.problem());
    if (r.abortedBy() == null) {
      o.putNull("abort");
    } else {
      ObjectNode abort = o.putObject("abort");
      abort.put("condition", r.abortedBy());
      num(abort, "at_seconds", r.abortedAtSeconds());
    }
    o.put("seed", r.seed());
    o.put("version", r.version());
    o.put("inputs_digest", r.inputs());
    o.put("arrivals", r.arrivals());
    num(o, "max_lateness_ms", r.maxLatenessMs());
    o.put("console_url", r.consoleUrl());
    o.set("expectations", expectations(r));
    o.set("faults", faults(r));
    o.set("totals", totals(r.totals()));
    num(o, "bucket_seconds", bucketSeconds(r.series()));
    ArrayNode series = o.putArray("series");
    for (ScenarioResult.Point p : r.series()) {
      series.add(point(p));
    }
    o.set("definition", ScenarioJson.definition(r.scenario()));
    return o;
  }

  private static ArrayNode expectations(ScenarioResult r) {
    ArrayNode a = JSON.createArrayNode();
    for (ScenarioResult.ExpectationResult e : r.expectations()) {
      Scenario.Expectation def = expectation(r.scenario(), e.index());
      ObjectNode o = a.addObject();
      o.put("index", e.index());
      o.put("description", e.describe());
      o.put("metric", e.metric());
      o.put("window", e.window());
      o.put("bound", e.bound());
      if (def == null) {
        o.putNull("unit");
        o.putNull("bound_value");
      } else {
        o.put("unit", ScenarioJson.unit(def.metric().unit));
        num(o, "bound_value", ScenarioJson.inReportUnit(def.metric().unit, def.bound().value()));
      }
      num(o, "measured", e.measured());
      o.put("measured_text", e.measuredText());
      o.put("met", e.met());
      o.put("verdict", e.met() ? "met" : "not met");
      o.put("detail", e.detail());
    }
    return a;
  }

  static Scenario.Expectation expectation(Scenario s, int index) {
    return s.expectations().stream().filter(e -> e.index() == index).findFirst().orElse(null);
  }

  static Scenario.FaultDef fault(Scenario s, int index) {
    return s.faults().stream().filter(f -> f.index() == index).findFirst().orElse(null);
  }

  private static ArrayNode faults(ScenarioResult r) {
    ArrayNode a = JSON.createArrayNode();
    for (ScenarioResult.FaultResult f : r.faults()) {
      ObjectNode o = a.addObject();
      o.put("index", f.index());
      o.put("kind", f.kind());
      o.put("description", f.describe());
      o.put("target", f.target());
      Scenario.FaultDef def = fault(r.scenario(), f.index());
      o.put("instant", def != null && FaultTimes.instant(def.fault()));
      num(o, "fired_seconds", f.firedSeconds());
      num(o, "healed_seconds", f.healedSeconds());
      num(o, "recovery_seconds", f.recoverySeconds());
      num(o, "detection_seconds", f.detectionSeconds());
      num(o, "removal_seconds", f.removalSeconds());
      num(o, "replacement_seconds", f.replacementSeconds());
      ObjectNode lost = o.putObject("lost_dynos");
      new TreeMap<>(f.lostDynos() == null ? Map.<String, List<String>>of() : f.lostDynos()).forEach((app, dynos) -> {
        ArrayNode d = lost.putArray(app);
        dynos.forEach(d::add);
      });
      o.put("problem", f.problem() == null || f.problem().isEmpty() ? null : f.problem());
    }
    return a;
  }

  private static ObjectNode totals(ScenarioResult.Totals t) {
    ObjectNode o = JSON.createObjectNode();
    if (t == null) {
      return o;
    }
    o.put("requests", t.requests());
    o.put("ok", t.ok());
    o.put("errors", t.errors());
    o.put("lost", t.lost());
    o.put("not_sent", t.notSent());
    o.put("connection_errors", t.connectionErrors());
    num(o, "error_rate", t.errorRate());
    num(o, "p50_ms", t.p50Ms());
    num(o, "p90_ms", t.p90Ms());
    num(o, "p99_ms", t.p99Ms());
    num(o, "p999_ms", t.p999Ms());
    num(o, "max_ms", t.maxMs());
    o.set("by_code", counts(t.byCode()));
    o.put("log_lines_published", t.logLinesPublished());
    o.put("log_lines_dropped", t.logLinesDropped());
    return o;
  }

  private static ObjectNode point(ScenarioResult.Point p) {
    ObjectNode o = JSON.createObjectNode();
    num(o, "t", p.t());
    o.put("requests", p.requests());
    o.put("errors", p.errors());
    num(o, "ok_per_second", p.okPerSecond());
    num(o, "p50_ms", p.p50Ms());
    num(o, "p99_ms", p.p99Ms());
    num(o, "max_ms", p.maxMs());
    o.set("errors_by_code", counts(p.errorsByCode()));
    o.put("dynos_up", p.dynosUp());
    o.put("dynos_wanted", p.dynosWanted());
    return o;
  }

  /** The width of the series' buckets: a second, longer for runs over ten minutes. */
  static double bucketSeconds(List<ScenarioResult.Point> series) {
    return series.size() >= 2 ? series.get(1).t() - series.get(0).t() : 1;
  }

  /**
   * One line for the console's list: {@code 3 of 4 expectations met; 1 fault; 12,034 requests,
   * 0.4% errors}, led by the problem or the abort when there was one.
   */
  static String summary(ScenarioResult r) {
    StringBuilder b = new StringBuilder();
    if (r.problem() != null) {
      b.append("error: ").append(oneLine(r.problem(), 160)).append("; ");
    }
    if (r.abortedBy() != null) {
      b.append("aborted");
      if (Double.isFinite(r.abortedAtSeconds())) {
        b.append(String.format(Locale.ROOT, " at %.1f s", r.abortedAtSeconds()));
      }
      b.append(": ").append(oneLine(r.abortedBy(), 160)).append("; ");
    }
    return b.append(tally(r)).toString();
  }

  /** The counting part of the summary: {@code 3 of 4 expectations met; 1 fault; 12,034 requests, 0.4% errors}. */
  static String tally(ScenarioResult r) {
    StringBuilder b = new StringBuilder();
    int n = r.expectations().size();
    long met = r.expectations().stream().filter(ScenarioResult.ExpectationResult::met).count();
    b.append(n == 0 ? "no expectations" : met + " of " + n + (n == 1 ? " expectation met" : " expectations met"));
    int faults = r.scenario().faults().size();
    b.append("; ").append(faults == 0 ? "no faults" : faults + (faults == 1 ? " fault" : " faults"));
    ScenarioResult.Totals t = r.totals();
    long requests = t == null ? 0 : t.requests();
    if (requests == 0) {
      b.append("; no requests");
    } else {
      b.append("; ").append(count(requests)).append(requests == 1 ? " request, " : " requests, ")
          .append(percent((double) t.errors() / requests)).append(" errors");
    }
    return b.toString();
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A share for people: 0%, 0.4%, 12.5%, and two significant digits below 0.1% rather than a false 0.0%. */
  static String percent(double share) {
    if (!Double.isFinite(share)) {
      return "-";
    }
    double p = share * 100;
    if (p == 0 || p == 100) {
      return String.format(Locale.ROOT, "%.0f%%", p);
    }
    if (p < 0.1) {
      return String.format(Locale.ROOT, "%.2g%%", p);
    }
    return String.format(Locale.ROOT, "%.1f%%", p);
  }

  static String oneLine(String s, int max) {
    String line = s.replaceAll("\\s+", " ").strip();
    return line.length() <= max ? line : line.substring(0, max - 1) + "…";
  }
}
