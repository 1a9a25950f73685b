package io.manifold.sim.run;

import io.manifold.sim.record.RunMetrics;

/**
 * What one run gave.
 *
 * @param sent requests the load generator sent, warm-up included
 * @param unanswered requests never answered by the end of the drain (always reported; should be 0)
 * @param wallNanos wall-clock time of the run, from the load's start to the last answer
 */
public record RunResult(RunSpec spec, long seed, RunMetrics metrics, long sent, long unanswered, long wallNanos) {

  /** The same without histograms and trace (see {@link RunMetrics#slim()}). */
  public RunResult slim() {
    return new RunResult(spec, seed, metrics.slim(), sent, unanswered, wallNanos);
  }

  /** Simulated requests per second of wall-clock time. */
  public double requestsPerWallSecond() {
    return wallNanos == 0 ? 0 : sent / (wallNanos / 1e9);
  }
}
