package io.manifold.sim.load;

import java.util.SplittableRandom;

/**
 * Open-loop load: requests arrive on their own schedule, whatever becomes of earlier ones, as
 * users of a public web site do. {@link Arrivals#POISSON} draws exponential gaps (a time-varying
 * rate by thinning: candidates at the segment's peak rate, each kept with probability rate/peak);
 * {@link Arrivals#CONSTANT} spaces them evenly at the current rate.
 *
 * <p>One event is pending at a time: the next arrival.
 */
public final class OpenLoop implements Workload, Runnable {

  public enum Arrivals { POISSON, CONSTANT }

  private final Arrivals arrivals;
  private final RateProfile profile;
  private LoadContext ctx;
  private SplittableRandom random;
  private int segment;
  /** Nanoseconds since {@code ctx.from()} of the next arrival. */
  private long next;

  public OpenLoop(Arrivals arrivals, RateProfile profile) {
    this.arrivals = arrivals;
    this.profile = profile;
  }

  @Override
  public void start(LoadContext context) {
    this.ctx = context;
    this.random = context.streams().stream("arrivals");
    this.segment = 0;
    this.next = 0;
    schedule();
  }

  @Override
  public void run() {
    if (ctx.clock().nanos() >= ctx.until()) {
      return;
    }
    ctx.sink().send(ctx.requests().next(-1));
    schedule();
  }

  /** Finds the next arrival time after {@link #next} and schedules it, unless it is past the end. */
  private void schedule() {
    long horizon = ctx.until() - ctx.from();
    while (next < horizon) {
      long end = profile.end(segment);
      double peak = profile.max(segment) / 1e9; // per nanosecond
      if (peak <= 0) {
        if (end == Long.MAX_VALUE) {
          return; // no more arrivals, ever
        }
        next = end;
        segment++;
        continue;
      }
      long candidate;
      if (arrivals == Arrivals.POISSON) {
        candidate = next + Math.max(1, Math.round(-Math.log(1.0 - random.nextDouble()) / peak));
      } else {
        double rate = profile.rate(segment, next - profile.start(segment)) / 1e9;
        candidate = rate > 0 ? next + Math.max(1, Math.round(1 / rate)) : end;
      }
      if (candidate >= end) {
        next = end; // memoryless: start afresh in the next segment
        segment++;
        continue;
      }
      next = candidate;
      if (arrivals == Arrivals.POISSON) {
        double max = profile.max(segment);
        double rate = profile.rate(segment, next - profile.start(segment));
        if (rate < max && random.nextDouble() * max >= rate) {
          continue; // thinned away
        }
      }
      if (next < horizon) {
        ctx.clock().at(ctx.from() + next, this);
      }
      return;
    }
  }

  @Override
  public String describe() {
    return arrivals.name().toLowerCase(java.util.Locale.ROOT) + " at " + profile;
  }
}
