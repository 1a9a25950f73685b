package io.manifold.scenarios.chaos.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.manifold.scenarios.chaos.ScenarioResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.json: what the console lists, everything measured, the scenario as it ran, and no NaN. */
class ReportJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper(); // strict: a NaN token would not parse

  private static JsonNode written(ScenarioResult r, Path dir) throws Exception {
    ScenarioReports.write(r, dir);
    String text = Files.readString(dir.resolve("report.json"));
    assertFalse(text.contains("NaN") || text.contains("Infinity"), "no NaN or Infinity in " + text);
    return MAPPER.readTree(text);
  }

  @Test
  void theConsoleFindsNameTimesOutcomeAndSummaryAtTheTopLevel(@TempDir Path dir) throws Exception {
    JsonNode j = written(Runs.failed("node-loss-under-load"), dir);
    assertEquals("node-loss-under-load", j.get("scenario").textValue(), "the name, as a string (the console reads a value)");
    assertEquals(Runs.STARTED, Instant.parse(j.get("started_at").textValue()));
    assertEquals(Runs.FINISHED, Instant.parse(j.get("finished_at").textValue()));
    assertEquals("failed", j.get("outcome").textValue());
    assertEquals("2 of 4 expectations met; 3 faults; 11,800 requests, 0.9% errors", j.get("summary").textValue());
    assertEquals(1, j.get("exit_code").intValue());
  }

  @Test
  void everythingMeasuredComesBackFromTheFile(@TempDir Path dir) throws Exception {
    ScenarioResult r = Runs.failed("node-loss-under-load");
    JsonNode j = written(r, dir);
    assertEquals(42, j.get("seed").longValue());
    assertEquals("0.1.0-test", j.get("version").textValue());
    assertEquals("3f9a2c10-1b2c", j.get("inputs_digest").textValue());
    assertTrue(j.get("problem").isNull());
    assertTrue(j.get("abort").isNull());

    JsonNode p99 = j.get("expectations").get(1);
    assertEquals(r.expectations().get(1).describe(), p99.get("description").textValue());
    assertEquals(1450.0, p99.get("measured").doubleValue());
    assertEquals("ms", p99.get("unit").textValue());
    assertEquals(1000.0, p99.get("bound_value").doubleValue(), "the bound in the unit of the measured value");
    assertFalse(p99.get("met").booleanValue());
    assertEquals("not met", p99.get("verdict").textValue());
    JsonNode recovery = j.get("expectations").get(2);
    assertTrue(recovery.get("measured").isNull(), "no value: null");
    assertEquals("fault 1's formation was not whole again before the run ended", recovery.get("detail").textValue());

    JsonNode kill = j.get("faults").get(0);
    assertEquals("node-2", kill.get("target").textValue());
    assertEquals(20.01, kill.get("fired_seconds").doubleValue());
    assertEquals(35.02, kill.get("healed_seconds").doubleValue());
    assertTrue(kill.get("recovery_seconds").isNull());
    assertEquals(1.2, kill.get("detection_seconds").doubleValue());
    assertEquals(6.5, kill.get("removal_seconds").doubleValue());
    assertEquals(7.1, kill.get("replacement_seconds").doubleValue());
    assertEquals(List.of("web.2", "web.5"), List.of(kill.get("lost_dynos").get("shop").get(0).textValue(),
        kill.get("lost_dynos").get("shop").get(1).textValue()));
    assertTrue(j.get("faults").get(1).get("instant").booleanValue(), "a crash happens at once");
    assertTrue(j.get("faults").get(1).get("healed_seconds").isNull());

    JsonNode totals = j.get("totals");
    assertEquals(11_800, totals.get("requests").longValue());
    assertEquals(109, totals.get("errors").longValue());
    assertEquals(2900.0, totals.get("max_ms").doubleValue());
    assertEquals(84, totals.get("by_code").get("H13").longValue());
    assertEquals(12_345, totals.get("log_lines_published").longValue());
    assertEquals(7, totals.get("log_lines_dropped").longValue());

    assertEquals(1.0, j.get("bucket_seconds").doubleValue());
    JsonNode series = j.get("series");
    assertEquals(60, series.size());
    assertEquals(12, series.get(20).get("errors_by_code").get("H13").longValue());
    assertEquals(4, series.get(20).get("dynos_up").intValue());
    assertEquals(6, series.get(20).get("dynos_wanted").intValue());
    assertTrue(series.get(5).get("p50_ms").isNull(), "a second without requests has no latency");
  }

  @Test
  void theScenarioIsWrittenFieldByFieldUnderDefinition(@TempDir Path dir) throws Exception {
    JsonNode d = written(Runs.failed("node-loss-under-load"), dir).get("definition");
    assertEquals("node-loss-under-load", d.get("name").textValue());
    assertEquals("scenarios/library/node-loss.yaml", d.get("file").textValue());
    assertEquals(60.0, d.get("duration_seconds").doubleValue());
    assertEquals(3, d.get("nodes").intValue());
    JsonNode shop = d.get("apps").get(0);
    assertEquals("synthetic", shop.get("runtime").textValue());
    assertEquals(6, shop.get("formation").get("web").intValue());
    assertEquals("constant(40ms)", shop.get("service").get("time").textValue());
    assertEquals("<b>hi</b>", shop.get("config").get("GREETING").textValue());
    assertEquals("random", d.get("router").get("policy").textValue());
    assertEquals(30.0, d.get("router").get("timeout_seconds").doubleValue());
    JsonNode load = d.get("load").get(0);
    assertEquals("poisson", load.get("arrivals").get("type").textValue());
    assertEquals(200.0, load.get("arrivals").get("profile").get(0).get("from_per_second").doubleValue());
    JsonNode kill = d.get("faults").get(0);
    assertEquals("kill-node", kill.get("kind").textValue());
    assertEquals(2, kill.get("node").intValue());
    assertEquals(20.0, kill.get("at_seconds").doubleValue());
    assertEquals(15.0, kill.get("for_seconds").doubleValue());
    assertEquals("scenarios/library/node-loss.yaml:13:5", kill.get("location").textValue());
    assertEquals("web.3", d.get("faults").get(1).get("dynos").get("dyno").textValue());
    assertEquals(2, d.get("faults").get(2).get("sides").get(1).size());
    JsonNode recovery = d.get("expectations").get(2);
    assertEquals("recovery-time", recovery.get("metric").textValue());
    assertEquals(1, recovery.get("fault").intValue());
    assertEquals(15_000.0, recovery.get("bound").get("value").doubleValue());
    assertEquals("below", recovery.get("bound").get("direction").textValue());
    JsonNode last = d.get("abort").get(0).get("window");
    assertEquals("last", last.get("kind").textValue());
    assertEquals(5.0, last.get("length_seconds").doubleValue());
  }

  @Test
  void aRunThatMeasuredNothingWritesNullsAndLeadsItsSummaryWithTheProblem(@TempDir Path dir) throws Exception {
    JsonNode j = written(Runs.error("node-loss-under-load", "the apps' formations were not up within 120 s:\nshop 2/6 up"), dir);
    assertEquals("error", j.get("outcome").textValue());
    assertEquals(2, j.get("exit_code").intValue());
    JsonNode totals = j.get("totals");
    for (String field : List.of("error_rate", "p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms")) {
      assertTrue(totals.get(field).isNull(), field + " is null");
    }
    assertEquals(0, j.get("series").size());
    assertTrue(j.get("summary").textValue().startsWith("error: the apps' formations were not up within 120 s: shop 2/6 up; "),
        j.get("summary").textValue());
    assertTrue(j.get("summary").textValue().endsWith("; no requests"));
  }

  @Test
  void anAbortSaysWhichConditionHeldAndWhen(@TempDir Path dir) throws Exception {
    JsonNode j = written(Runs.aborted("node-loss-under-load"), dir);
    assertEquals("error-rate over the last 5s above 50%", j.get("abort").get("condition").textValue());
    assertEquals(23.0, j.get("abort").get("at_seconds").doubleValue());
    assertTrue(j.get("summary").textValue().startsWith("aborted at 23.0 s: error-rate over the last 5s above 50%; "));
  }

  @Test
  void theSummaryCountsInWordsAPersonReads() {
    assertEquals("0%", ReportJson.percent(0));
    assertEquals("0.4%", ReportJson.percent(0.004));
    assertEquals("0.025%", ReportJson.percent(0.00025), "a small share is not rounded to a false 0.0%");
    assertEquals("100%", ReportJson.percent(1));
    assertEquals("12,034", ReportJson.count(12_034));
  }
}
