package io.manifold.scenarios.chaos.report;

import static io.manifold.scenarios.chaos.report.ReportFiles.JSON;
import static io.manifold.scenarios.chaos.report.ReportFiles.counts;
import static io.manifold.scenarios.chaos.report.ReportFiles.num;
import static io.manifold.scenarios.chaos.report.ReportFiles.seconds;
import static io.manifold.scenarios.chaos.report.ReportFiles.strings;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.manifold.scenarios.chaos.Scenario;
import java.util.List;
import java.util.Locale;

/**
 * The scenario as it ran, in {@code report.json}'s {@code definition}: written field by field
 * (not by reflecting over the model's records) so that renaming a record component cannot change
 * the file. Durations are in seconds, latency bounds in milliseconds, shares as 0..1, node numbers
 * 1-based as the file writes them; every fault and expectation carries its {@code location}
 * (file:line:column).
 */
final class ScenarioJson {
  private ScenarioJson() {}

  static ObjectNode definition(Scenario s) {
    ObjectNode o = JSON.createObjectNode();
    o.put("name", s.name());
    o.put("description", s.description());
    o.put("file", s.file());
    o.put("seed", s.seed());
    seconds(o, "duration_seconds", s.duration());
    o.put("nodes", s.nodes());
    ArrayNode apps = o.putArray("apps");
    s.apps().values().stream().sorted((a, b) -> a.name().compareTo(b.name())).forEach(a -> apps.add(app(a)));
    ObjectNode router = o.putObject("router");
    router.put("policy", s.router().policy());
    seconds(router, "timeout_seconds", s.router().timeout());
    ArrayNode load = o.putArray("load");
    s.load().forEach(l -> load.add(load(l)));
    ArrayNode faults = o.putArray("faults");
    s.faults().forEach(f -> faults.add(fault(f)));
    o.set("expectations", expectations(s.expectations()));
    o.set("abort", expectations(s.abort()));
    return o;
  }

  private static ObjectNode app(Scenario.AppDef a) {
    ObjectNode o = JSON.createObjectNode();
    o.put("name", a.name());
    o.put("runtime", a.synthetic() ? "synthetic" : "procfile");
    o.put("procfile_dir", a.procfileDir() == null ? null : a.procfileDir().toString());
    o.set("formation", counts(a.formation()));
    Scenario.Service sv = a.service();
    if (sv == null) {
      o.putNull("service");
    } else {
      ObjectNode service = o.putObject("service");
      service.put("time", sv.time() == null ? null : sv.time().toString());
      service.put("concurrency", sv.concurrency());
      service.put("backlog", sv.backlog());
      service.put("boot", sv.boot());
      service.put("errors", sv.errors());
      service.put("memory", sv.memory());
    }
    o.set("config", strings(a.config()));
    o.put("policy", a.policy());
    return o;
  }

  private static ObjectNode load(Scenario.LoadDef l) {
    ObjectNode o = JSON.createObjectNode();
    o.put("location", String.valueOf(l.location()));
    o.put("app", l.app());
    seconds(o, "start_seconds", l.start());
    seconds(o, "duration_seconds", l.duration());
    o.put("path", l.path());
    ArrayNode via = o.putArray("via");
    l.via().forEach(via::add);
    ObjectNode arrivals = o.putObject("arrivals");
    if (l.arrivals() instanceof Scenario.Open open) {
      arrivals.put("type", open.poisson() ? "poisson" : "constant");
      ArrayNode profile = arrivals.putArray("profile");
      for (Scenario.Segment seg : open.profile()) {
        ObjectNode p = profile.addObject();
        seconds(p, "length_seconds", seg.length());
        num(p, "from_per_second", seg.from());
        num(p, "to_per_second", seg.to());
      }
    } else if (l.arrivals() instanceof Scenario.Closed closed) {
      arrivals.put("type", "closed");
      arrivals.put("users", closed.users());
      arrivals.put("think", closed.think() == null ? null : closed.think().toString());
    } else if (l.arrivals() instanceof Scenario.Replay replay) {
      arrivals.put("type", "replay");
      arrivals.put("file", replay.file());
      arrivals.put("requests", replay.atNanos() == null ? 0 : replay.atNanos().length);
    }
    return o;
  }

  static ObjectNode fault(Scenario.FaultDef f) {
    ObjectNode o = JSON.createObjectNode();
    o.put("index", f.index());
    o.put("location", String.valueOf(f.location()));
    o.put("kind", f.fault().kind());
    o.put("description", f.describe());
    seconds(o, "at_seconds", f.at());
    seconds(o, "for_seconds", f.lasts());
    o.put("instant", FaultTimes.instant(f.fault()));
    Scenario.Fault fault = f.fault();
    if (fault instanceof Scenario.KillNode k) {
      o.put("node", k.node());
    } else if (fault instanceof Scenario.StopNode st) {
      o.put("node", st.node());
    } else if (fault instanceof Scenario.RestartNode rn) {
      o.put("node", rn.node());
      o.put("graceful", rn.graceful());
    } else if (fault instanceof Scenario.Partition p) {
      sides(o, p.side(), p.other());
      o.put("one_way", p.oneWay());
    } else if (fault instanceof Scenario.LinkLatency l) {
      sides(o, l.side(), l.other());
      o.put("latency_ms", l.latency().toNanos() / 1e6);
      o.put("jitter_ms", l.jitter().toNanos() / 1e6);
    } else if (fault instanceof Scenario.DynoFault d) {
      effect(o, d.effect());
      Scenario.Selector sel = d.dynos();
      ObjectNode dynos = o.putObject("dynos");
      dynos.put("app", sel.app());
      dynos.put("dyno", sel.dyno());
      dynos.put("type", sel.type());
      dynos.put("count", sel.count());
      if (sel.percent() == null) {
        dynos.putNull("percent");
      } else {
        num(dynos, "percent", sel.percent());
      }
    } else if (fault instanceof Scenario.Scale sc) {
      o.put("app", sc.app());
      o.set("formation", counts(sc.quantities()));
    } else if (fault instanceof Scenario.RestartAll ra) {
      o.put("app", ra.app());
    } else if (fault instanceof Scenario.Maintenance m) {
      o.put("app", m.app());
    } else if (fault instanceof Scenario.ConfigChange c) {
      o.put("app", c.app());
      o.set("config", strings(c.set()));
    }
    return o;
  }

  private static void sides(ObjectNode o, List<Integer> side, List<Integer> other) {
    ArrayNode sides = o.putArray("sides");
    side.forEach(sides.addArray()::add);
    other.forEach(sides.addArray()::add);
  }

  private static void effect(ObjectNode o, Scenario.DynoEffect e) {
    if (e instanceof Scenario.Slow slow) {
      o.put("extra_ms", slow.extra().toNanos() / 1e6);
    } else if (e instanceof Scenario.Errors errors) {
      num(o, "share", errors.share());
    } else if (e instanceof Scenario.Leak leak) {
      o.put("bytes_per_request", leak.bytesPerRequest());
    }
  }

  private static ArrayNode expectations(List<Scenario.Expectation> list) {
    ArrayNode a = JSON.createArrayNode();
    for (Scenario.Expectation e : list) {
      ObjectNode o = a.addObject();
      o.put("index", e.index());
      o.put("location", String.valueOf(e.location()));
      o.put("description", e.describe());
      o.put("metric", e.metric().name);
      o.put("code", e.code());
      o.put("app", e.app());
      o.put("fault", e.fault());
      o.set("window", e.metric() == Scenario.Metric.RECOVERY_TIME ? null : window(e.window()));
      o.put("unit", unit(e.metric().unit));
      ObjectNode bound = o.putObject("bound");
      bound.put("direction", e.bound().below() ? "below" : "above");
      num(bound, "value", inReportUnit(e.metric().unit, e.bound().value()));
    }
    return a;
  }

  private static ObjectNode window(Scenario.Window w) {
    if (w == null) {
      return null;
    }
    ObjectNode o = JSON.createObjectNode();
    o.put("kind", w.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    o.put("description", w.describe());
    switch (w.kind()) {
      case DURING, AFTER_RECOVERY -> o.put("fault", w.fault());
      case RANGE -> {
        seconds(o, "from_seconds", w.from());
        seconds(o, "to_seconds", w.to());
      }
      case LAST -> seconds(o, "length_seconds", w.to());
      default -> { }
    }
    return o;
  }

  /** The unit of a metric's values in the report: the same as {@code expectations[].measured}. */
  static String unit(Scenario.Unit u) {
    return switch (u) {
      case SHARE -> "share";
      case TIME -> "ms";
      case RATE -> "per_second";
      case COUNT -> "count";
    };
  }

  /** The model keeps times in nanoseconds; the report, as the result does, in milliseconds. */
  static double inReportUnit(Scenario.Unit u, double v) {
    return u == Scenario.Unit.TIME ? v / 1e6 : v;
  }
}
