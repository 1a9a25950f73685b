package io.manifold.scenarios.chaos.report;

import io.manifold.scenarios.chaos.Scenario;

/**
 * When a fault was in effect, as the charts draw it: from the moment it fired until it was
 * healed, a mark for a fault that happens at once (a crash, a scale, a deploy), and for a fault
 * that lasts and was never healed within the run, until the run's end.
 */
final class FaultTimes {
  private FaultTimes() {}

  /** A fault that happens at once and has nothing to heal (the parser refuses a 'for' on these). */
  static boolean instant(Scenario.Fault f) {
    if (f instanceof Scenario.DynoFault d) {
      return d.effect() instanceof Scenario.Crash;
    }
    return f instanceof Scenario.RestartNode || f instanceof Scenario.Scale || f instanceof Scenario.RestartAll;
  }

  /**
   * The span to draw, in seconds since t = 0: {from, to}, {@code to == from} for an instant fault;
   * null when the fault never fired.
   *
   * @param end the end of the chart's time axis: a lasting fault still in effect is drawn to it
   */
  static double[] span(boolean instant, double fired, double healed, double end) {
    if (!Double.isFinite(fired)) {
      return null;
    }
    if (instant) {
      return new double[] {fired, fired};
    }
    double to = Double.isFinite(healed) ? healed : end;
    return new double[] {fired, Math.max(fired, Math.min(to, Math.max(end, fired)))};
  }
}
