package io.manifold.scenarios.chaos.run;

import io.manifold.scenarios.chaos.Scenario;
import io.manifold.scenarios.chaos.Scenario.Expectation;
import io.manifold.scenarios.chaos.Scenario.Metric;
import io.manifold.scenarios.chaos.Scenario.Window;
import io.manifold.scenarios.chaos.ScenarioResult.ExpectationResult;
import io.manifold.scenarios.chaos.ScenarioText;

/**
 * The arithmetic of expectations: which stretch of the run a window is, the metric's value over
 * it, and whether the bound holds. A window that never came (after a recovery that did not
 * happen) or holds no request has no value, and an expectation without a value is not met: a
 * CI pipeline must not pass on nothing.
 */
final class Verdicts {
  /** What is known of the run when an expectation is judged. Times in nanoseconds since t = 0. */
  record Facts(Timelines timelines, Scenario scenario, long nowNanos, long[] firedNanos, double[] recoveryNanos, long logLinesDropped) {}

  private Verdicts() {}

  /** Every app's requests, for the windows' arithmetic that does not depend on the app. */
  private static Timeline timeline(Facts f) {
    return f.timelines().all();
  }

  /** The stretch of the run a window covers: {from, to}; null when it has not come (yet). */
  static long[] window(Window w, Facts f) {
    long end = Math.min(f.nowNanos(), f.scenario().duration().toNanos());
    return switch (w.kind()) {
      case WHOLE -> new long[] {0, end};
      case BEFORE -> new long[] {0, Math.min(end, f.scenario().faults().isEmpty() ? end : f.scenario().faults().get(0).at().toNanos())};
      case DURING -> {
        Scenario.FaultDef fault = f.scenario().faults().get(w.fault() - 1);
        long from = fault.at().toNanos();
        long to;
        if (fault.lasts() != null) {
          to = from + fault.lasts().toNanos();
        } else {
          double r = f.recoveryNanos()[w.fault() - 1];
          to = Double.isNaN(r) ? end : from + Math.max((long) r, timeline(f).bucketNanos());
        }
        yield from >= end ? null : new long[] {from, Math.min(to, end)};
      }
      case AFTER_RECOVERY -> {
        int k = w.fault() != null ? w.fault() : f.scenario().faults().size();
        if (k == 0) {
          yield new long[] {0, end};
        }
        double r = f.recoveryNanos()[k - 1];
        long fired = f.firedNanos()[k - 1];
        if (Double.isNaN(r) || fired < 0) {
          yield null;
        }
        long from = fired + (long) r;
        yield from >= end ? null : new long[] {from, end};
      }
      case RANGE -> w.from().toNanos() >= end ? null : new long[] {w.from().toNanos(), Math.min(end, w.to().toNanos())};
      case LAST -> new long[] {Math.max(0, f.nowNanos() - w.to().toNanos()), f.nowNanos()};
    };
  }

  /** The metric's value, in its unit (times in nanoseconds); NaN when there is none. */
  static double measure(Expectation e, Facts f) {
    if (e.metric() == Metric.RECOVERY_TIME) {
      return f.recoveryNanos()[e.fault() - 1];
    }
    if (e.metric() == Metric.LOG_LINES_DROPPED) {
      return f.logLinesDropped();
    }
    long[] w = window(e.window(), f);
    if (w == null) {
      return Double.NaN;
    }
    Timeline.Slice s = e.window().kind() == Window.Kind.BEFORE
        ? f.timelines().of(e.app()).quiet()
        : f.timelines().of(e.app()).slice(w[0], w[1]);
    return switch (e.metric()) {
      case ERROR_RATE -> s.errorRate();
      case P50 -> s.latency(50);
      case P90 -> s.latency(90);
      case P95 -> s.latency(95);
      case P99 -> s.latency(99);
      case P999 -> s.latency(99.9);
      case MAX -> s.maxLatency();
      case MEAN -> s.meanLatency();
      case THROUGHPUT -> s.requests() == 0 ? Double.NaN : s.throughput();
      case REQUESTS -> s.requests();
      case RESPONSES -> s.code(e.code());
      case LOST -> s.count(Timeline.Kind.LOST);
      default -> throw new IllegalStateException(e.metric().name);
    };
  }

  /** The verdict at the end of the run. */
  static ExpectationResult judge(Expectation e, Facts f) {
    double v = measure(e, f);
    boolean met = !Double.isNaN(v) && e.bound().holds(v);
    String detail = "";
    if (Double.isNaN(v)) {
      detail = e.metric() == Metric.RECOVERY_TIME ? "fault " + e.fault() + "'s formation was not whole again before the run ended"
          : window(e.window(), f) == null ? "the window " + e.window().describe() + " never came"
          : "no request in the window " + e.window().describe();
    }
    double shown = e.metric().unit == Scenario.Unit.TIME ? v / 1e6 : v;
    return new ExpectationResult(e.index(), e.describe(), e.metric().name, e.metric() == Metric.RECOVERY_TIME ? "" : e.window().describe(),
        e.bound().describe(e.metric()), shown, ScenarioText.value(e.metric().unit, v), met, detail);
  }

  /**
   * While the run goes on: {@code failed} when it can no longer be met (a count that only grows
   * is past its bound already), {@code met} for a window that is over and met, else
   * {@code pending}.
   */
  static String provisional(Expectation e, Facts f) {
    double v = measure(e, f);
    if (Double.isNaN(v)) {
      return "pending";
    }
    boolean grows = e.metric().unit == Scenario.Unit.COUNT && e.metric() != Metric.REQUESTS || e.metric() == Metric.MAX;
    if (grows && e.bound().below() && !e.bound().holds(v)) {
      return "failed";
    }
    long[] w = e.metric() == Metric.RECOVERY_TIME ? new long[] {0, 0} : window(e.window(), f);
    boolean over = w != null && w[1] < Math.min(f.nowNanos(), f.scenario().duration().toNanos());
    if (over) {
      return e.bound().holds(v) ? "met" : "failed";
    }
    return "pending";
  }

  /** Whether an abort condition holds now. */
  static boolean holds(Expectation abort, Facts f) {
    double v = measure(abort, f);
    return !Double.isNaN(v) && abort.bound().holds(v);
  }
}
