package io.manifold.scenarios.chaos.report;

import static io.manifold.scenarios.chaos.report.ReportFiles.JSON;
import static io.manifold.scenarios.chaos.report.ReportFiles.num;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.manifold.scenarios.chaos.Scenario;
import io.manifold.scenarios.chaos.ScenarioResult;
import io.manifold.scenarios.chaos.run.ScenarioRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code live.json}: the run going on now, for the web console's live view, rewritten about every
 * second from the runner's {@link ScenarioRunner.LiveState}. Written to a temporary file and
 * renamed, so that the console never reads half of it, and bounded: the last
 * {@link #MAX_POINTS} points (the console draws no more, and reads no file over 1 MiB).
 *
 * <p>Fields (those marked * are the ones the console reads; its {@code scenarios.js} declares them
 * in {@code LIVE_JSON}, and {@code ConsoleLiveViewContractTest} holds this writer to that list):
 * {@code state}* ({@code running}), {@code scenario}*, {@code app}* (the apps' names,
 * comma-separated), {@code apps}, {@code started_at}, {@code elapsed_seconds}*,
 * {@code duration_seconds}*, {@code bucket_seconds}, {@code faults}* ({@code index}, {@code name}*
 * (its kind), {@code description}*, {@code target}*, {@code from_seconds}*, {@code to_seconds}*
 * (null while it lasts, and for a fault that could not be applied; equal to {@code from_seconds}
 * for a fault that happens at once), {@code problem}* (null, or why it could not be applied or
 * healed)), {@code points}* ({@code t}*, {@code requests_per_second}, {@code ok_per_second},
 * {@code p50_ms}*, {@code p99_ms}*, {@code errors}* (per second, by code), {@code dynos_up}*,
 * {@code dynos_wanted}*) and {@code expectations}* ({@code index}, {@code name}*, {@code state}*
 * ({@code pending}, {@code met} or {@code failed}), {@code detail}*). Faults that have not fired
 * are not listed.
 */
public final class LiveReport {
  public static final String FILE = "live.json";
  public static final int MAX_POINTS = 600;

  private LiveReport() {}

  /** Rewrites {@code outDir/live.json} (creating the directory) with the run as it is now. */
  public static void write(Path outDir, Scenario scenario, Instant startedAt, ScenarioRunner.LiveState state) {
    ReportFiles.writeAtomically(outDir.resolve(FILE), render(scenario, startedAt, state.state(), state.elapsedSeconds(),
        state.durationSeconds(), state.points(), state.faultViews(), state.expectations()));
  }

  /** Removes {@code live.json} once the run is over, so that the console stops showing it as running at once. */
  public static void clear(Path outDir) {
    try {
      Files.deleteIfExists(outDir.resolve(FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + outDir.resolve(FILE) + ": " + e.getMessage(), e);
    }
  }

  static String render(Scenario scenario, Instant startedAt, String state, double elapsedSeconds, double durationSeconds,
      List<ScenarioResult.Point> points, List<ScenarioRunner.LiveState.FaultView> faults, Map<Integer, String> expectations) {
    ObjectNode o = JSON.createObjectNode();
    o.put("state", state);
    o.put("scenario", scenario.name());
    List<String> apps = scenario.apps().keySet().stream().sorted().toList();
    o.put("app", String.join(", ", apps));
    ArrayNode appList = o.putArray("apps");
    apps.forEach(appList::add);
    ReportFiles.instant(o, "started_at", startedAt);
    num(o, "elapsed_seconds", elapsedSeconds);
    num(o, "duration_seconds", durationSeconds);
    double bucket = ReportJson.bucketSeconds(points);
    num(o, "bucket_seconds", bucket);
    ArrayNode fs = o.putArray("faults");
    for (ScenarioRunner.LiveState.FaultView f : faults) {
      if (!Double.isFinite(f.firedSeconds())) {
        continue; // not yet: the console draws a fault from its start
      }
      Scenario.FaultDef def = ReportJson.fault(scenario, f.index());
      boolean instant = def != null && FaultTimes.instant(def.fault());
      ObjectNode j = fs.addObject();
      j.put("index", f.index());
      j.put("name", f.kind());
      j.put("description", f.describe());
      j.put("target", f.target());
      num(j, "from_seconds", f.firedSeconds());
      num(j, "to_seconds", instant ? f.firedSeconds() : f.healedSeconds());
      j.put("problem", f.problem());
    }
    ArrayNode ps = o.putArray("points");
    for (ScenarioResult.Point p : points.subList(Math.max(0, points.size() - MAX_POINTS), points.size())) {
      ObjectNode j = ps.addObject();
      num(j, "t", p.t());
      perSecond(j, "requests_per_second", p.requests(), bucket);
      num(j, "ok_per_second", p.okPerSecond());
      num(j, "p50_ms", p.p50Ms());
      num(j, "p99_ms", p.p99Ms());
      ObjectNode errors = j.putObject("errors");
      new TreeMap<>(p.errorsByCode() == null ? Map.<String, Long>of() : p.errorsByCode())
          .forEach((code, n) -> perSecond(errors, code, n, bucket));
      j.put("dynos_up", p.dynosUp());
      j.put("dynos_wanted", p.dynosWanted());
    }
    ArrayNode es = o.putArray("expectations");
    Map<Integer, String> states = expectations == null ? Map.of() : expectations;
    for (Scenario.Expectation e : scenario.expectations()) {
      ObjectNode j = es.addObject();
      j.put("index", e.index());
      j.put("name", e.describe());
      j.put("state", states.getOrDefault(e.index(), "pending"));
      j.put("detail", "");
    }
    return ReportFiles.compactJson(o);
  }

  /** A count over a bucket as a rate: whole numbers stay integers (buckets are a second for runs up to ten minutes). */
  private static void perSecond(ObjectNode o, String field, long count, double bucket) {
    double v = count / bucket;
    if (v == Math.rint(v)) {
      o.put(field, (long) v);
    } else {
      o.put(field, v);
    }
  }
}
