package io.manifold.sim.run;

import io.manifold.sim.record.Recorder;
import io.manifold.sim.stats.Estimate;
import io.manifold.sim.stats.Metric;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * A cell's replications and what they say together: each {@link Metric} as the mean over the
 * replications with a Student-t 95% confidence interval, and the replications' histograms merged
 * (for CDFs). The runs it keeps have no histograms or trace of their own any more: a study of many
 * cells would otherwise hold two histograms and a trace per run (write the trace as runs finish,
 * in {@link Experiment.Progress#runFinished}).
 */
public record CellResult(Cell cell, List<RunResult> runs, Map<Metric, Estimate> estimates,
    Histogram response, Histogram queue, Map<String, Long> outcomes, long requests, long unanswered) {

  public static CellResult of(Cell cell, List<RunResult> runs) {
    Map<Metric, Estimate> estimates = new EnumMap<>(Metric.class);
    for (Metric m : Metric.values()) {
      double[] values = runs.stream().mapToDouble(r -> m.of(r.metrics())).toArray();
      estimates.put(m, Estimate.of(values));
    }
    Histogram response = Recorder.histogram();
    Histogram queue = Recorder.histogram();
    Map<String, Long> outcomes = new TreeMap<>();
    long requests = 0;
    long unanswered = 0;
    for (RunResult r : runs) {
      response.add(r.metrics().responseHistogram());
      queue.add(r.metrics().queueHistogram());
      r.metrics().outcomes().forEach((k, v) -> outcomes.merge(k, v, Long::sum));
      requests += r.metrics().requests();
      unanswered += r.unanswered();
    }
    List<RunResult> slim = runs.stream().map(RunResult::slim).toList();
    return new CellResult(cell, slim, estimates, response, queue, outcomes, requests, unanswered);
  }

  public Estimate get(Metric m) {
    return estimates.get(m);
  }
}
