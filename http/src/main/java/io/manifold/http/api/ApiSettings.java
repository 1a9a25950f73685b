package io.manifold.http.api;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The API's settings, from {@code manifold.api}.
 *
 * @param token the bearer token every request must carry
 * @param user the account's e-mail, the {@code by user ...} of the app's log
 * @param maxBodyBytes a request body larger than this is refused (413)
 * @param rateLimit requests per token before 429; refilled at {@code rateLimit / 60} a minute, as Heroku's 4,500 and 75
 * @param askTimeout how long the API waits for an app to answer
 * @param routerUrl how apps are reached through the router, {@code %s} being the app's name
 * @param logSessionTtl a log session not opened within this long expires
 * @param maxLogSessions log sessions kept at once; one more is refused (503)
 * @param logHeartbeat how often an idle live log stream gets an SSE comment
 * @param scenarioReports where the scenario runner writes its runs (one directory each), for the
 *     console; null when neither {@code manifold.scenarios.reports-dir} nor {@code manifold.data-dir} is set
 */
public record ApiSettings(
    String host,
    int port,
    String token,
    String user,
    int maxBodyBytes,
    int rateLimit,
    Duration askTimeout,
    String routerUrl,
    Duration logSessionTtl,
    int maxLogSessions,
    Duration logHeartbeat,
    Path scenarioReports) {

  public static ApiSettings fromConfig(Config manifold, String token, String routerUrl) {
    Config c = manifold.getConfig("api");
    return new ApiSettings(
        c.getString("host"),
        c.getInt("port"),
        token,
        manifold.getString("user"),
        (int) c.getBytes("max-body").longValue(),
        c.getInt("rate-limit"),
        c.getDuration("ask-timeout"),
        routerUrl,
        c.getDuration("log-session-ttl"),
        c.getInt("max-log-sessions"),
        c.getDuration("log-heartbeat"),
        scenarioReports(manifold));
  }

  /** {@code manifold.scenarios.reports-dir}, else {@code <data-dir>/scenarios}. */
  static Path scenarioReports(Config manifold) {
    String dir = manifold.hasPath("scenarios.reports-dir") ? manifold.getString("scenarios.reports-dir") : "";
    if (!dir.isBlank()) {
      return Path.of(dir);
    }
    String data = manifold.hasPath("data-dir") ? manifold.getString("data-dir") : "";
    return data.isBlank() ? null : Path.of(data, "scenarios");
  }

  public ApiSettings withPort(int newPort) {
    return new ApiSettings(host, newPort, token, user, maxBodyBytes, rateLimit, askTimeout, routerUrl,
        logSessionTtl, maxLogSessions, logHeartbeat, scenarioReports);
  }

  /** The host clients reach the API on (a wildcard bind is reached on loopback). */
  public String publicHost() {
    return host.equals("0.0.0.0") ? "127.0.0.1" : host;
  }
}
