package io.manifold.scenarios.chaos.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.manifold.scenarios.chaos.Scenario;
import io.manifold.scenarios.chaos.ScenarioResult;
import io.manifold.scenarios.chaos.run.ScenarioRunner;
import io.manifold.scenarios.chaos.run.ScenarioRunner.LiveState.FaultView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** live.json: the fields the console's live view reads, bounded, and never half written. */
class LiveReportTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static List<FaultView> faults() {
    return List.of(
        new FaultView(1, "kill-node", "kill node 2 at 20s for 15s", "node-2", 20.01, Double.NaN, null),
        new FaultView(2, "crash-dyno", "crash on shop/web.3 at 40s", "shop/web.3", 40.0, Double.NaN, null),
        new FaultView(3, "partition", "partition [1] | [2, 3] at 45s for 5s", "", Double.NaN, Double.NaN, null));
  }

  private static JsonNode live(Scenario s, List<ScenarioResult.Point> points) throws Exception {
    String text = LiveReport.render(s, Runs.STARTED, "running", 42.4, 60, points, faults(), Map.of(1, "met", 4, "failed"));
    assertFalse(text.contains("NaN"), text);
    return MAPPER.readTree(text);
  }

  @Test
  void theConsoleFindsEveryFieldItReads() throws Exception {
    Scenario s = Runs.scenario("node-loss-under-load");
    JsonNode j = live(s, Runs.failed("node-loss-under-load").series().subList(0, 42));
    assertEquals("running", j.get("state").textValue());
    assertEquals("node-loss-under-load", j.get("scenario").textValue());
    assertEquals("shop", j.get("app").textValue());
    assertEquals(Runs.STARTED, Instant.parse(j.get("started_at").textValue()));
    assertEquals(42.4, j.get("elapsed_seconds").doubleValue());
    assertEquals(60.0, j.get("duration_seconds").doubleValue());

    JsonNode faults = j.get("faults");
    assertEquals(2, faults.size(), "a fault that has not fired is not drawn yet");
    assertEquals("kill-node", faults.get(0).get("name").textValue());
    assertEquals("node-2", faults.get(0).get("target").textValue());
    assertEquals(20.01, faults.get(0).get("from_seconds").doubleValue());
    assertTrue(faults.get(0).get("to_seconds").isNull(), "null while it lasts");
    assertEquals(40.0, faults.get(1).get("to_seconds").doubleValue(), "a crash is over as it happens");

    JsonNode points = j.get("points");
    assertEquals(42, points.size());
    JsonNode p = points.get(21);
    assertEquals(21.0, p.get("t").doubleValue());
    assertEquals(200, p.get("requests_per_second").intValue());
    assertEquals(1450.0, p.get("p99_ms").doubleValue());
    assertEquals(12, p.get("errors").get("H13").intValue());
    assertTrue(p.get("p50_ms").isNumber());
    assertTrue(points.get(5).get("p50_ms").isNull(), "nothing measured: null");

    JsonNode expectations = j.get("expectations");
    assertEquals(4, expectations.size());
    assertEquals(s.expectations().get(0).describe(), expectations.get(0).get("name").textValue());
    assertEquals("met", expectations.get(0).get("state").textValue());
    assertEquals("pending", expectations.get(1).get("state").textValue(), "not judged yet");
    assertEquals("failed", expectations.get(3).get("state").textValue());
    assertEquals("", expectations.get(3).get("detail").textValue());
  }

  @Test
  void onlyTheLastSixHundredPointsAreKept() throws Exception {
    List<ScenarioResult.Point> points = new ArrayList<>();
    for (int t = 0; t < 900; t++) {
      points.add(new ScenarioResult.Point(t, 10, 0, 10, 1, 2, 3, Map.of(), 1, 1));
    }
    JsonNode j = live(Runs.scenario("long"), points);
    assertEquals(LiveReport.MAX_POINTS, j.get("points").size());
    assertEquals(300.0, j.get("points").get(0).get("t").doubleValue());
    assertEquals(899.0, j.get("points").get(599).get("t").doubleValue());
  }

  @Test
  void theRunnersLiveStateIsWrittenWholeByRename(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("runs/20261129-080000-node-loss");
    Scenario s = Runs.scenario("node-loss-under-load");
    ScenarioRunner.LiveState state = new ScenarioRunner.LiveState("running", 3, 60,
        Runs.failed("x").series().subList(0, 3), List.of(), Map.of());
    LiveReport.write(out, s, Runs.STARTED, state);
    LiveReport.write(out, s, Runs.STARTED, state);
    JsonNode j = MAPPER.readTree(Files.readString(out.resolve("live.json")));
    assertEquals(3, j.get("points").size());
    assertEquals(0, j.get("faults").size());
    try (Stream<Path> files = Files.list(out)) {
      assertEquals(List.of("live.json"), files.map(f -> f.getFileName().toString()).toList(), "no temporary file left behind");
    }
    LiveReport.clear(out);
    assertFalse(Files.exists(out.resolve("live.json")));
  }
}
