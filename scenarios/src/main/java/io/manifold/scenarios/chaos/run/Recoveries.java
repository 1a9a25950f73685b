package io.manifold.scenarios.chaos.run;

import io.manifold.scenarios.chaos.Scenario;
import java.util.List;
import java.util.Map;

/**
 * Recovery times from the formation watch's samples. A fault's recovery is the time from the
 * moment it fired until every app's formation is whole again (every wanted dyno up, on a node
 * that runs), counted only if the formation broke between the fault and the next one due later: a fault
 * that never broke it recovered in 0. One that broke it and was not whole again before the run
 * ended has none (NaN).
 */
final class Recoveries {
  private Recoveries() {}

  /** Nanoseconds from each fault to its recovery; NaN where there was none; by fault index - 1. */
  static double[] of(List<FaultInjector.FaultRecord> faults, List<FormationWatch.Sample> samples) {
    double[] r = new double[faults.size()];
    for (int i = 0; i < faults.size(); i++) {
      long fired = faults.get(i).firedNanos;
      if (fired < 0) {
        r[i] = Double.NaN;
        continue;
      }
      // the window ends when a fault due later fires; faults due at the same moment share it, in
      // whatever order their threads fired them
      long nextFault = Long.MAX_VALUE;
      for (int j = 0; j < faults.size(); j++) {
        if (faults.get(j).firedNanos >= 0 && faults.get(j).def.at().compareTo(faults.get(i).def.at()) > 0) {
          nextFault = Math.min(nextFault, faults.get(j).firedNanos);
        }
      }
      long broke = -1;
      for (FormationWatch.Sample s : samples) {
        if (s.atNanos() >= fired && s.atNanos() < nextFault && !s.whole()) {
          broke = s.atNanos();
          break;
        }
      }
      if (broke < 0) {
        r[i] = 0;
        continue;
      }
      r[i] = Double.NaN;
      for (FormationWatch.Sample s : samples) {
        if (s.atNanos() > broke && s.whole()) {
          r[i] = s.atNanos() - fired;
          break;
        }
      }
    }
    return r;
  }

  /**
   * For a node fault: nanoseconds from the fault until the first of the dynos it took is seen
   * starting (or up) on another node that runs; NaN when none was, or the fault took none.
   */
  static double replacement(FaultInjector.FaultRecord fault, List<FormationWatch.Sample> samples, String nodeName) {
    Map<String, List<String>> lost = fault.lostDynos;
    if (fault.firedNanos < 0 || lost.isEmpty()) {
      return Double.NaN;
    }
    for (FormationWatch.Sample s : samples) {
      if (s.atNanos() < fault.firedNanos) {
        continue;
      }
      for (var e : lost.entrySet()) {
        FormationWatch.AppSample app = s.apps().get(e.getKey());
        if (app == null) {
          continue;
        }
        for (String dyno : e.getValue()) {
          String where = app.nodeOf().get(dyno);
          if (where != null && !where.startsWith(nodeName + ":") && !where.endsWith(":stale")) {
            return s.atNanos() - fault.firedNanos;
          }
        }
      }
    }
    return Double.NaN;
  }

  /** Whether the fault is about a node (its breakdown is reported). */
  static boolean nodeFault(Scenario.Fault f) {
    return f instanceof Scenario.KillNode || f instanceof Scenario.StopNode || f instanceof Scenario.RestartNode;
  }
}
