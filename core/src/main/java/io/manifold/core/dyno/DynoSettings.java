package io.manifold.core.dyno;

import com.typesafe.config.Config;
import java.time.Clock;
import java.time.Duration;

/**
 * The dyno manager's timings, read from {@code manifold.dyno} (see {@code reference.conf}).
 *
 * @param bootTimeout how long a web dyno may take to bind {@code $PORT} before R10 (Heroku: 60 s)
 * @param stopGrace how long after SIGTERM before SIGKILL and R12 (Heroku: 30 s)
 * @param clock the time written on log lines
 * @param memoryCheckEvery how often a dyno's memory is held against its quota (R14, R15); zero
 *     for never
 */
public record DynoSettings(
    Duration bootTimeout, Duration stopGrace, RestartBackoff backoff, Clock clock, Duration memoryCheckEvery) {
  /** Heroku reports R14 about every 20 seconds while a dyno stays over its quota. */
  public static final Duration DEFAULT_MEMORY_CHECK = Duration.ofSeconds(20);

  public DynoSettings {
    if (memoryCheckEvery.isNegative()) {
      throw new IllegalArgumentException("memory-check-every must not be negative, not " + memoryCheckEvery);
    }
  }

  /** With Heroku's memory check every {@link #DEFAULT_MEMORY_CHECK}. */
  public DynoSettings(Duration bootTimeout, Duration stopGrace, RestartBackoff backoff, Clock clock) {
    this(bootTimeout, stopGrace, backoff, clock, DEFAULT_MEMORY_CHECK);
  }

  public static DynoSettings fromConfig(Config manifold) {
    Config c = manifold.getConfig("dyno");
    return new DynoSettings(
        c.getDuration("boot-timeout"),
        c.getDuration("stop-grace"),
        RestartBackoff.fromConfig(c.getConfig("restart")),
        Clock.systemUTC(),
        c.hasPath("memory-check-every") ? c.getDuration("memory-check-every") : DEFAULT_MEMORY_CHECK);
  }

  public DynoSettings withStopGrace(Duration grace) {
    return new DynoSettings(bootTimeout, grace, backoff, clock, memoryCheckEvery);
  }

  public DynoSettings withBootTimeout(Duration timeout) {
    return new DynoSettings(timeout, stopGrace, backoff, clock, memoryCheckEvery);
  }

  public DynoSettings withMemoryCheckEvery(Duration every) {
    return new DynoSettings(bootTimeout, stopGrace, backoff, clock, every);
  }
}
