package io.manifold.http;

import com.typesafe.config.Config;
import java.time.Duration;

/** The router front's settings, from {@code manifold.router} (see its {@code reference.conf}). */
public record RouterSettings(
    String host,
    int port,
    String policy,
    String domain,
    Duration requestTimeout,
    Duration connectTimeout,
    Duration bootQueueTimeout,
    int bootQueueMax,
    int maxConnectionsPerDyno,
    int maxOpenRequestsPerDyno,
    Duration dynoKeepAlive,
    String via) {

  public static RouterSettings fromConfig(Config manifold) {
    Config c = manifold.getConfig("router");
    return new RouterSettings(
        c.getString("host"),
        c.getInt("port"),
        c.getString("policy"),
        c.getString("domain"),
        c.getDuration("request-timeout"),
        c.getDuration("connect-timeout"),
        c.getDuration("boot-queue-timeout"),
        c.getInt("boot-queue-max"),
        c.getInt("max-connections-per-dyno"),
        c.getInt("max-open-requests-per-dyno"),
        c.getDuration("dyno-keep-alive"),
        c.getString("via"));
  }

  public RouterSettings withPort(int newPort) {
    return new RouterSettings(host, newPort, policy, domain, requestTimeout, connectTimeout, bootQueueTimeout,
        bootQueueMax, maxConnectionsPerDyno, maxOpenRequestsPerDyno, dynoKeepAlive, via);
  }

  public RouterSettings withPolicy(String newPolicy) {
    return new RouterSettings(host, port, newPolicy, domain, requestTimeout, connectTimeout, bootQueueTimeout,
        bootQueueMax, maxConnectionsPerDyno, maxOpenRequestsPerDyno, dynoKeepAlive, via);
  }

  public RouterSettings withRequestTimeout(Duration timeout) {
    return new RouterSettings(host, port, policy, domain, timeout, connectTimeout, bootQueueTimeout,
        bootQueueMax, maxConnectionsPerDyno, maxOpenRequestsPerDyno, dynoKeepAlive, via);
  }

  public RouterSettings withBootQueueTimeout(Duration timeout) {
    return new RouterSettings(host, port, policy, domain, requestTimeout, connectTimeout, timeout,
        bootQueueMax, maxConnectionsPerDyno, maxOpenRequestsPerDyno, dynoKeepAlive, via);
  }
}
