package io.manifold.sim.record;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one run measured over its window (requests that arrived after the warm-up and before the
 * end).
 *
 * @param requests requests that arrived in the window (all of them are answered, one way or other)
 * @param errors those answered with a status of 400 or more (H-codes included)
 * @param throughput answers given in the window per second (any status)
 * @param queuedShare share of requests that waited before a dyno started them
 * @param outcomes requests by answer: {@code 200}, {@code 500}, {@code 503 H12}
 * @param responseHistogram response times, nanoseconds, for CDFs and merging (null once merged)
 * @param trace the first requests of the window, up to the run's trace limit
 * @param traceDropped requests of the window past that limit
 */
public record RunMetrics(
    long requests,
    long errors,
    double throughput,
    double queuedShare,
    LatencyStats response,
    LatencyStats queue,
    Map<String, Long> outcomes,
    Histogram responseHistogram,
    Histogram queueHistogram,
    List<TraceRow> trace,
    long traceDropped) {

  /**
   * The same without its histograms (null) and trace (empty), once they have been merged or
   * written elsewhere: they are the bulk of it.
   */
  public RunMetrics slim() {
    return new RunMetrics(requests, errors, throughput, queuedShare, response, queue, outcomes, null, null, List.of(), traceDropped);
  }
}
