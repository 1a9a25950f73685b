package io.manifold.scenarios.study;

import io.manifold.sim.run.Cell;
import io.manifold.sim.run.CellResult;
import io.manifold.sim.run.Experiment;
import io.manifold.sim.run.RunResult;
import io.manifold.sim.run.SimSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a study: its cells, each {@code replications} times, in one simulated system of the
 * study's kind of time. The Java entry point for a test suite that wants to assert on a study:
 * {@code StudyRunner.run(StudyParser.parse(path), path.getParent(), new Experiment.Progress() {})}.
 */
public final class StudyRunner {
  private StudyRunner() {}

  /** What {@link #runInto} gave: the results and the files written. */
  public record Written(StudyResult result, List<Path> files) {}

  public static StudyResult run(Study study, Path baseDir, Experiment.Progress progress) {
    return run(study, baseDir, progress, null);
  }

  /**
   * Runs the study and writes its files into {@code dir}: trace.csv as the runs finish (if the
   * study asks for it), then results.csv, summary.csv and report.html.
   */
  public static Written runInto(Study study, Path baseDir, Path dir, Experiment.Progress progress) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
    }
    Path trace = study.output().trace() ? dir.resolve("trace.csv") : null;
    StudyResult result = run(study, baseDir, progress, trace);
    List<Path> files = new ArrayList<>(StudyOutputs.write(result, dir));
    if (trace != null) {
      files.add(2, trace);
    }
    return new Written(result, files);
  }

  private static StudyResult run(Study study, Path baseDir, Experiment.Progress progress, Path traceFile) {
    List<Cell> cells = StudyCells.cells(study, baseDir);
    List<String> parameters = study.compare().stream().map(Study.Sweep::parameter).toList();
    try (SimSystem sys = SimSystem.start(study.time());
        TraceCsv trace = traceFile == null ? null : new TraceCsv(traceFile, parameters)) {
      Experiment.Progress withTrace = trace == null ? progress : new Experiment.Progress() {
        @Override
        public void runFinished(Cell cell, int replication, RunResult result) {
          trace.append(cell, replication, result);
          progress.runFinished(cell, replication, result);
        }

        @Override
        public void cellFinished(CellResult result) {
          progress.cellFinished(result);
        }
      };
      List<CellResult> results = Experiment.run(sys, cells, study.replications(), study.seed(), withTrace);
      return new StudyResult(study, results);
    }
  }
}
