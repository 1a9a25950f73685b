package io.manifold.scenarios.study;

import io.manifold.sim.run.Cell;
import io.manifold.sim.run.CellResult;
import io.manifold.sim.run.Experiment;
import io.manifold.sim.run.SimSystem;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a study: its cells, each {@code replications} times, in one simulated system of the
 * study's kind of time. The Java entry point for a test suite that wants to assert on a study:
 * {@code StudyRunner.run(StudyParser.parse(path), path.getParent(), progress)}.
 */
public final class StudyRunner {
  private StudyRunner() {}

  public static StudyResult run(Study study, Path baseDir, Experiment.Progress progress) {
    List<Cell> cells = StudyCells.cells(study, baseDir);
    try (SimSystem sys = SimSystem.start(study.time())) {
      List<CellResult> results = Experiment.run(sys, cells, study.replications(), study.seed(), progress);
      return new StudyResult(study, results);
    }
  }
}
