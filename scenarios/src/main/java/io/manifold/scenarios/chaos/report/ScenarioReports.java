package io.manifold.scenarios.chaos.report;

import io.manifold.scenarios.chaos.ScenarioResult;
import java.nio.file.Path;
import java.util.List;

/**
 * The reports of a finished run, in one directory: {@code report.json} (everything measured and
 * the scenario as it ran; the web console lists runs from it), {@code report.html} (a
 * self-contained page) and {@code junit.xml} (one test case per expectation, for CI). Each file is
 * written whole or not at all (a temporary file, then a rename), {@code report.json} last, so that
 * a console that lists the run finds its page already there.
 */
public final class ScenarioReports {
  public static final String JSON = "report.json";
  public static final String HTML = "report.html";
  public static final String JUNIT = "junit.xml";

  private ScenarioReports() {}

  /**
   * Writes the three reports into {@code outDir}, creating it if need be.
   *
   * @return the files written: report.html, junit.xml, report.json
   * @throws java.io.UncheckedIOException when a file cannot be written
   */
  public static List<Path> write(ScenarioResult result, Path outDir) {
    Path html = outDir.resolve(HTML);
    Path junit = outDir.resolve(JUNIT);
    Path json = outDir.resolve(JSON);
    ReportFiles.writeAtomically(html, ReportHtml.render(result));
    ReportFiles.writeAtomically(junit, JunitXml.render(result));
    ReportFiles.writeAtomically(json, ReportFiles.json(ReportJson.of(result)));
    return List.of(html, junit, json);
  }

  /** The one line the console shows beside a run: {@code 3 of 4 expectations met; 1 fault; 12,034 requests, 0.4% errors}. */
  public static String summary(ScenarioResult result) {
    return ReportJson.summary(result);
  }
}
