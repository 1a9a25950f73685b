package io.manifold.sim.run;

import io.manifold.sim.random.RandomStreams;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every cell of a study {@code replications} times. Replication r of every cell gets the same
 * seed (derived from the study's seed and r), so that cells are compared on the same arrivals and
 * service times (common random numbers) while replications are independent of each other.
 */
public final class Experiment {

  /** Told as the experiment goes, on the calling thread. */
  public interface Progress {
    default void runFinished(Cell cell, int replication, RunResult result) {}

    default void cellFinished(CellResult result) {}
  }

  private Experiment() {}

  /** The seed of replication {@code r} (0-based) of a study seeded {@code seed}. */
  public static long replicationSeed(long seed, int r) {
    return new RandomStreams(seed).seedFor("replication/" + r);
  }

  public static List<CellResult> run(SimSystem sys, List<Cell> cells, int replications, long seed, Progress progress) {
    if (replications < 1) {
      throw new IllegalArgumentException("at least one replication");
    }
    List<CellResult> results = new ArrayList<>();
    for (Cell cell : cells) {
      List<RunResult> runs = new ArrayList<>();
      for (int r = 0; r < replications; r++) {
        RunResult result = SimRun.run(sys, cell.spec().withSeed(replicationSeed(seed, r)), "cell" + cell.index() + "-rep" + r);
        runs.add(result);
        progress.runFinished(cell, r, result);
      }
      CellResult cr = CellResult.of(cell, runs);
      results.add(cr);
      progress.cellFinished(cr);
    }
    return results;
  }
}
