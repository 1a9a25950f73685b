package io.manifold.sim.record;

import io.manifold.core.routing.HCode;
import io.manifold.sim.route.Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Records every answered request of a run: response time (arrival at the router to the answer)
 * and queueing time (arrival to the moment a dyno started on it) into HdrHistograms, outcomes by
 * status and H-code, and the first requests in a trace. Only requests that arrive inside the
 * measurement window count; the warm-up's are only counted as answered.
 *
 * <p>Memory is constant: two histograms of 1 us to 1 h at 3 significant digits, counters, and a
 * trace of at most {@code traceLimit} rows. Used on the clock's thread only.
 */
public final class Recorder implements Consumer<Request> {
  /** The longest latency a histogram holds; longer ones are recorded as this (never happens below the router's time-out). */
  public static final long HIGHEST_NANOS = 3_600_000_000_000L;

  private final long from;
  private final long to;
  private final int traceLimit;
  private final Histogram response = histogram();
  private final Histogram queue = histogram();
  private final long[] byStatus = new long[600];
  private final long[] byCode = new long[HCode.values().length];
  private final List<TraceRow> trace = new ArrayList<>();
  private long traceDropped;
  private long count;
  private long errors;
  private long queued;
  private double responseSum;
  private double queueSum;
  private long responseMax;
  private long queueMax;
  private long answered;
  private long answeredInWindow;

  /**
   * @param from start of the measurement window, clock nanoseconds (the end of the warm-up)
   * @param to its end
   * @param traceLimit rows of trace to keep (0 for none)
   */
  public Recorder(long from, long to, int traceLimit) {
    this.from = from;
    this.to = to;
    this.traceLimit = traceLimit;
  }

  public static Histogram histogram() {
    return new Histogram(1_000, HIGHEST_NANOS, 3);
  }

  @Override
  public void accept(Request r) {
    answered++;
    long at = r.answeredAt();
    if (at >= from && at < to) {
      answeredInWindow++;
    }
    long arrival = r.arrival();
    if (arrival < from || arrival >= to) {
      return;
    }
    count++;
    long rt = Math.min(r.responseNanos(), HIGHEST_NANOS);
    long qt = Math.min(r.queueNanos(), HIGHEST_NANOS);
    response.recordValue(rt);
    queue.recordValue(qt);
    responseSum += rt;
    queueSum += qt;
    responseMax = Math.max(responseMax, rt);
    queueMax = Math.max(queueMax, qt);
    if (qt > 0) {
      queued++;
    }
    HCode code = r.code();
    if (code != null) {
      byCode[code.ordinal()]++;
    } else {
      byStatus[Math.min(Math.max(r.status(), 0), byStatus.length - 1)]++;
    }
    if (r.status() >= 400) {
      errors++;
    }
    if (trace.size() < traceLimit) {
      trace.add(new TraceRow(r.id(), arrival - from, r.routerNode(), r.dyno() == null ? null : r.dyno().toString(),
          qt, r.serviceNanos(), rt, r.status(), code == null ? null : code.name()));
    } else if (traceLimit > 0) {
      traceDropped++;
    }
  }

  /** Requests answered so far, warm-up included. */
  public long answered() {
    return answered;
  }

  /** Requests of the window recorded so far. */
  public long count() {
    return count;
  }

  public RunMetrics metrics() {
    Map<String, Long> outcomes = new LinkedHashMap<>();
    for (int s = 0; s < byStatus.length; s++) {
      if (byStatus[s] > 0) {
        outcomes.put(Integer.toString(s), byStatus[s]);
      }
    }
    for (HCode c : HCode.values()) {
      if (byCode[c.ordinal()] > 0) {
        outcomes.put(c.status() + " " + c.name(), byCode[c.ordinal()]);
      }
    }
    double seconds = (to - from) / 1e9;
    return new RunMetrics(count, errors, answeredInWindow / seconds, count == 0 ? 0 : (double) queued / count,
        LatencyStats.of(response, responseSum, count, responseMax),
        LatencyStats.of(queue, queueSum, count, queueMax),
        outcomes, response.copy(), queue.copy(), List.copyOf(trace), traceDropped);
  }
}
