package io.manifold.scenarios.chaos.run;

import io.manifold.scenarios.chaos.Scenario;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The arrival times of an open-loop load, drawn from its own seeded stream before anything is
 * sent, so that they do not depend on how the run goes: Poisson arrivals by thinning (candidates
 * at the profile's peak rate, each kept with the probability rate(t)/peak), constant ones evenly
 * spaced at the rate of the moment. Offsets in nanoseconds from the load's start; the schedule
 * ends with the load.
 */
final class ArrivalSchedule {
  private final List<Scenario.Segment> profile;
  private final boolean poisson;
  private final long lengthNanos;
  private final SplittableRandom random;
  private final double peak;
  private double t;
  private boolean done;

  ArrivalSchedule(Scenario.Open open, long lengthNanos, SplittableRandom random) {
    this.profile = open.profile();
    this.poisson = open.poisson();
    this.lengthNanos = lengthNanos;
    this.random = random;
    this.peak = profile.stream().mapToDouble(s -> Math.max(s.from(), s.to())).max().orElse(0);
    this.done = peak <= 0;
  }

  /** The next arrival's offset in nanoseconds, or -1 once the load is over. */
  long next() {
    while (!done) {
      if (poisson) {
        t += -Math.log(1 - random.nextDouble()) / peak * 1e9;
        if (t >= lengthNanos) {
          done = true;
        } else if (random.nextDouble() * peak < rate(t)) {
          return (long) t;
        }
      } else {
        double r = rate(t);
        if (r <= 0) {
          t = nextSegmentStart(t);
          continue;
        }
        long at = (long) t;
        t += 1e9 / r;
        if (at >= lengthNanos) {
          done = true;
        } else {
          return at;
        }
      }
    }
    return -1;
  }

  /** Requests per second at {@code nanos} into the load: within its segment, ramped linearly. */
  double rate(double nanos) {
    double start = 0;
    for (Scenario.Segment s : profile) {
      double len = s.length().toNanos();
      if (nanos < start + len) {
        double f = (nanos - start) / len;
        return s.from() + (s.to() - s.from()) * f;
      }
      start += len;
    }
    return 0;
  }

  private double nextSegmentStart(double nanos) {
    double start = 0;
    for (Scenario.Segment s : profile) {
      start += s.length().toNanos();
      if (nanos < start) {
        return start;
      }
    }
    done = true;
    return nanos;
  }
}
