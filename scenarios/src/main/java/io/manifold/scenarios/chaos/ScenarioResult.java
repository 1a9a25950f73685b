package io.manifold.scenarios.chaos;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a scenario run measured and how it ended: the verdict of each expectation, what became of
 * each fault, totals and a per-second series. The reports (JSON, HTML, JUnit XML) are written
 * from it, and a JUnit suite elsewhere can assert on it ({@link io.manifold.scenarios.Scenarios}).
 * Times are seconds since t = 0 (the start of the load), durations in seconds, latencies in
 * milliseconds; NaN where nothing was measured.
 *
 * @param outcome {@code passed}, {@code failed} (an expectation was not met, or an abort
 *     condition held) or {@code error} (the run could not complete: {@link #problem})
 * @param inputs a digest of every drawn input (arrival and service times, the dynos faults chose):
 *     the same seed gives the same digest
 */
public record ScenarioResult(
    Scenario scenario,
    long seed,
    String version,
    Instant startedAt,
    Instant finishedAt,
    String outcome,
    String problem,
    String abortedBy,
    double abortedAtSeconds,
    List<ExpectationResult> expectations,
    List<FaultResult> faults,
    Totals totals,
    List<Point> series,
    String inputs,
    long arrivals,
    double maxLatenessMs,
    String consoleUrl) {

  public static final String PASSED = "passed";
  public static final String FAILED = "failed";
  public static final String ERROR = "error";

  /** The process exit status for this outcome: 0 passed, 1 failed, 2 error. */
  public int exitCode() {
    return switch (outcome) {
      case PASSED -> 0;
      case FAILED -> 1;
      default -> 2;
    };
  }

  public boolean passed() {
    return PASSED.equals(outcome);
  }

  /**
   * One expectation's verdict.
   *
   * @param measured in the metric's unit (shares 0..1, times in ms, rates per second, counts)
   * @param detail why it failed, when the number alone does not say (the window never came)
   */
  public record ExpectationResult(
      int index, String describe, String metric, String window, String bound, double measured, String measuredText,
      boolean met, String detail) {}

  /**
   * What became of one fault.
   *
   * @param recoverySeconds from the fault until every app's formation was whole again on running
   *     nodes; 0 when it never broke, NaN when it did not come back before the run ended
   * @param detectionSeconds for a node fault: until another node saw it unreachable; then
   *     removal (downed and gone), re-placement (the first of its dynos starting elsewhere)
   */
  public record FaultResult(
      int index, String kind, String describe, String target, double firedSeconds, double healedSeconds,
      double recoverySeconds, double detectionSeconds, double removalSeconds, double replacementSeconds,
      Map<String, List<String>> lostDynos, String problem) {}

  /** Every request of the run. */
  public record Totals(
      long requests, long ok, long errors, long lost, long notSent, long connectionErrors, double errorRate,
      double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs, Map<String, Long> byCode,
      long logLinesPublished, long logLinesDropped) {}

  /** One second (or bucket) of the run, by the requests due in it. */
  public record Point(
      double t, long requests, long errors, double okPerSecond, double p50Ms, double p99Ms, double maxMs,
      Map<String, Long> errorsByCode, int dynosUp, int dynosWanted) {}
}
