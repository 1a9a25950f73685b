package io.manifold.scenarios;

import io.manifold.scenarios.chaos.Scenario;
import io.manifold.scenarios.chaos.ScenarioResult;
import io.manifold.scenarios.chaos.report.LiveReport;
import io.manifold.scenarios.chaos.report.ScenarioReports;
import io.manifold.scenarios.chaos.run.ScenarioRunner;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * One run of a scenario with its files: {@code live.json} in the output directory while it runs
 * (the web console's live view), then {@code report.json}, {@code report.html} and
 * {@code junit.xml}. What {@code manifold scenario run} and {@link Scenarios#run} do.
 */
public final class ScenarioRun {
  private final Scenario scenario;
  private final Path out;
  private final ScenarioRunner runner;
  private volatile List<Path> written = List.of();

  /**
   * @param out where the files go; null for none
   * @param lines hears each progress line
   */
  public ScenarioRun(Scenario scenario, Path out, Consumer<String> lines) {
    this.scenario = scenario;
    this.out = out;
    Instant started = Instant.now();
    this.runner = new ScenarioRunner(scenario, new ScenarioRunner.Listener() {
      @Override
      public void line(String text) {
        lines.accept(text);
      }

      @Override
      public void live(ScenarioRunner.LiveState state) {
        if (out != null) {
          LiveReport.write(out, scenario, started, state);
        }
      }
    }, out == null ? null : out.toAbsolutePath().getParent());
  }

  /** Runs it to the end (or until {@link #cancel}), writes the reports, and says what happened. */
  public ScenarioResult run() {
    ScenarioResult result = runner.run();
    if (out != null) {
      written = ScenarioReports.write(result, out);
      LiveReport.clear(out);
    }
    return result;
  }

  /** Stops the run early; it still heals every fault and stops every dyno. Waits for that (bounded). */
  public void cancel() {
    runner.cancel();
  }

  /** The report files written, once {@link #run} returned. */
  public List<Path> written() {
    return written;
  }

  public Scenario scenario() {
    return scenario;
  }
}
