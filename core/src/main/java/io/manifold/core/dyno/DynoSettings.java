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
 */
public record DynoSettings(Duration bootTimeout, Duration stopGrace, RestartBackoff backoff, Clock clock) {
  public static DynoSettings fromConfig(Config manifold) {
    Config c = manifold.getConfig("dyno");
    return new DynoSettings(
        c.getDuration("boot-timeout"),
        c.getDuration("stop-grace"),
        RestartBackoff.fromConfig(c.getConfig("restart")),
        Clock.systemUTC());
  }

  public DynoSettings withStopGrace(Duration grace) {
    return new DynoSettings(bootTimeout, grace, backoff, clock);
  }

  public DynoSettings withBootTimeout(Duration timeout) {
    return new DynoSettings(timeout, stopGrace, backoff, clock);
  }
}
