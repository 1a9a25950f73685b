package io.manifold.scenarios.chaos.run;

import io.manifold.sim.live.SyntheticFaults;
import java.time.Duration;

/**
 * Dyno faults on synthetic apps, played the way the sim's synthetic runtime plays them (Heroku's
 * way: a crash exits 1 with a line in the app's log, a crash loop fails every start before the
 * dyno listens). Its fault table is shared by every node's synthetic runtime, so a fault follows
 * its dyno through restarts and to other nodes.
 */
final class SyntheticDynoFaults implements DynoFaults {
  private final SyntheticFaults faults;

  SyntheticDynoFaults(SyntheticFaults faults) {
    this.faults = faults;
  }

  @Override
  public boolean crash(String app, String dyno) {
    return faults.crash(app, dyno) > 0;
  }

  @Override
  public boolean crashLoop(String app, String dyno, boolean on) {
    if (!on) {
      faults.heal(app, dyno, SyntheticFaults.Kind.CRASH_LOOP);
      return faults.runs(app, dyno);
    }
    faults.crashLoop(app, dyno);
    return faults.crash(app, dyno) > 0;
  }

  @Override
  public boolean hang(String app, String dyno, boolean on) {
    if (on) {
      faults.hang(app, dyno);
    } else {
      faults.heal(app, dyno, SyntheticFaults.Kind.HANG);
    }
    return faults.runs(app, dyno);
  }

  @Override
  public boolean slow(String app, String dyno, Duration extra) {
    if (extra != null && !extra.isZero()) {
      faults.slow(app, dyno, extra);
    } else {
      faults.heal(app, dyno, SyntheticFaults.Kind.SLOW);
    }
    return faults.runs(app, dyno);
  }

  @Override
  public boolean errors(String app, String dyno, double share) {
    if (share > 0) {
      faults.errors(app, dyno, share);
    } else {
      faults.heal(app, dyno, SyntheticFaults.Kind.ERRORS);
    }
    return faults.runs(app, dyno);
  }

  @Override
  public boolean leak(String app, String dyno, long bytesPerRequest) {
    if (bytesPerRequest > 0) {
      faults.leak(app, dyno, bytesPerRequest);
    } else {
      faults.heal(app, dyno, SyntheticFaults.Kind.LEAK);
    }
    return faults.runs(app, dyno);
  }

  /** Lifts every synthetic fault. */
  void healAll() {
    faults.healAll();
  }
}
