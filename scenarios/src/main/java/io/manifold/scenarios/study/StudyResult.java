package io.manifold.scenarios.study;

import io.manifold.sim.run.CellResult;
import java.util.List;

/** A study and what each of its cells gave. */
public record StudyResult(Study study, List<CellResult> cells) {
  public StudyResult {
    cells = List.copyOf(cells);
  }

  /** The names of the swept parameters, in the study's order. */
  public List<String> parameters() {
    return study.compare().stream().map(Study.Sweep::parameter).toList();
  }

  /** Requests never answered, over all runs (always reported; should be none). */
  public long unanswered() {
    return cells.stream().mapToLong(CellResult::unanswered).sum();
  }
}
