package io.manifold.core.dyno;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Heroku's crash restart policy: the first crashes are restarted at once, then each further
 * attempt waits a cool-off that doubles from 10 minutes up to 24 hours. A new release or a manual
 * restart starts the count again.
 *
 * @param immediateRestarts how many crashes in a row are restarted without waiting (Heroku: 2)
 */
public record RestartBackoff(int immediateRestarts, Duration firstCoolOff, Duration maxCoolOff) {
  public static final RestartBackoff HEROKU = new RestartBackoff(2, Duration.ofMinutes(10), Duration.ofHours(24));

  public RestartBackoff {
    if (immediateRestarts < 0 || firstCoolOff.isNegative() || maxCoolOff.compareTo(firstCoolOff) < 0) {
      throw new IllegalArgumentException("restart back-off needs immediate >= 0 and 0 <= first cool-off <= max cool-off");
    }
  }

  public static RestartBackoff fromConfig(Config c) {
    return new RestartBackoff(
        c.getInt("immediate-restarts"), c.getDuration("first-cool-off"), c.getDuration("max-cool-off"));
  }

  /** The wait before restarting after the {@code crashes}-th crash in a row (1-based). */
  public Duration coolOff(int crashes) {
    if (crashes <= immediateRestarts) {
      return Duration.ZERO;
    }
    int doublings = Math.min(crashes - immediateRestarts - 1, 30);
    Duration wait = firstCoolOff.multipliedBy(1L << doublings);
    return wait.compareTo(maxCoolOff) > 0 ? maxCoolOff : wait;
  }
}
