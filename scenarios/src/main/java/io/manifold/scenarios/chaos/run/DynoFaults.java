package io.manifold.scenarios.chaos.run;

import java.time.Duration;

/**
 * What the runner can do to one dyno, wherever it runs, by app and dyno name ({@code web.3}).
 * Faults that last hold until healed (the same call with {@code on} false, or a zero amount),
 * also across the dyno's restarts and moves to other nodes. A dyno that does not run now is left
 * alone, and {@code false} says so.
 */
interface DynoFaults {

  /** The dyno's process ends now, as a crash (Heroku's restart rules bring it back). */
  boolean crash(String app, String dyno);

  /** Every start of the dyno crashes soon after it boots. */
  boolean crashLoop(String app, String dyno, boolean on);

  /** The dyno takes requests and answers none. */
  boolean hang(String app, String dyno, boolean on);

  /** Every answer of the dyno comes {@code extra} later; null heals. */
  boolean slow(String app, String dyno, Duration extra);

  /** This share of the dyno's answers are 500s; 0 heals. */
  boolean errors(String app, String dyno, double share);

  /** The dyno's memory grows by this much per request; 0 heals. */
  boolean leak(String app, String dyno, long bytesPerRequest);
}
