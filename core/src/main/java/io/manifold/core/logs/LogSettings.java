package io.manifold.core.logs;

import com.typesafe.config.Config;

/**
 * Logplex's bounds, read from {@code manifold.logs}.
 *
 * @param history lines kept per app (Heroku: 1,500); the oldest go first
 * @param tailBuffer lines a slow tail may fall behind before it loses the oldest (and is told so
 *     with L11)
 * @param maxTails live tails per channel; one more is refused
 * @param batch lines sent to a tail at once
 */
public record LogSettings(int history, int tailBuffer, int maxTails, int batch) {
  public static final LogSettings HEROKU = new LogSettings(1500, 1000, 100, 100);

  public LogSettings {
    if (history < 1 || tailBuffer < 1 || maxTails < 1 || batch < 1) {
      throw new IllegalArgumentException("log bounds must be positive");
    }
  }

  public static LogSettings fromConfig(Config manifold) {
    Config c = manifold.getConfig("logs");
    return new LogSettings(c.getInt("history"), c.getInt("tail-buffer"), c.getInt("max-tails"), c.getInt("tail-batch"));
  }
}
