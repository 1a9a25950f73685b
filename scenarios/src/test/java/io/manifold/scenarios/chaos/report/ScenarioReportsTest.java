package io.manifold.scenarios.chaos.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three reports land in a directory made for them, whole, and a second write replaces them. */
class ScenarioReportsTest {
  @Test
  void writesTheThreeReportsIntoADirectoryItCreates(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("scenarios/20261129-080000-node-loss");
    List<Path> files = ScenarioReports.write(Runs.failed("node-loss-under-load"), out);
    assertEquals(List.of(out.resolve("report.html"), out.resolve("junit.xml"), out.resolve("report.json")), files);
    ScenarioReports.write(Runs.passed("node-loss-under-load"), out);
    try (Stream<Path> listed = Files.list(out)) {
      assertEquals(List.of("junit.xml", "report.html", "report.json"), listed.map(p -> p.getFileName().toString()).sorted().toList(),
          "no temporary file left behind");
    }
    assertEquals("passed", ReportFiles.JSON.readTree(out.resolve("report.json").toFile()).get("outcome").textValue());
  }
}
