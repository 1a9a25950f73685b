package io.manifold.http;

import com.typesafe.config.Config;
import io.manifold.core.routing.RoutingTable;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The router front's settings, from {@code manifold.router} (see its {@code reference.conf}, which
 * says where each of Heroku's numbers comes from).
 */
public record RouterSettings(
    String host,
    int port,
    String policy,
    String domain,
    Duration requestTimeout,
    Duration connectTimeout,
    Duration idleTimeout,
    Duration quarantine,
    Duration bootQueueTimeout,
    int bootQueueMax,
    int maxConnectionsPerDyno,
    int backlogPerDyno,
    Duration dynoKeepAlive,
    int maxRequestLine,
    int maxHeaderLine,
    int maxHeaders,
    int maxResponseHeader,
    int maxResponseStatusLine,
    int maxResponseCookie,
    String via,
    int threads,
    String clientParser) {

  public RouterSettings {
    positive("manifold.router.request-timeout", requestTimeout);
    positive("manifold.router.connect-timeout", connectTimeout);
    positive("manifold.router.idle-timeout", idleTimeout);
    positive("manifold.router.boot-queue-timeout", bootQueueTimeout);
    new RoutingTable.Limits(maxConnectionsPerDyno, backlogPerDyno); // checks them
    if (threads < 1) {
      throw new IllegalArgumentException("manifold.router.threads: expected at least 1 but found " + threads);
    }
    if (!"router".equals(clientParser) && !"pekko".equals(clientParser)) {
      throw new IllegalArgumentException("manifold.router.client-parser: expected router or pekko but found " + clientParser);
    }
  }

  public static RouterSettings fromConfig(Config manifold) {
    Config c = manifold.getConfig("router");
    return new RouterSettings(
        c.getString("host"),
        c.getInt("port"),
        c.getString("policy"),
        c.getString("domain"),
        c.getDuration("request-timeout"),
        c.getDuration("connect-timeout"),
        c.getDuration("idle-timeout"),
        c.getDuration("quarantine"),
        c.getDuration("boot-queue-timeout"),
        c.getInt("boot-queue-max"),
        c.getInt("max-connections-per-dyno"),
        c.getInt("backlog-per-dyno"),
        c.getDuration("dyno-keep-alive"),
        c.getBytes("limits.request-line").intValue(),
        c.getBytes("limits.header-line").intValue(),
        c.getInt("limits.headers"),
        c.getBytes("limits.response-header").intValue(),
        c.getBytes("limits.response-status-line").intValue(),
        c.getBytes("limits.response-cookie").intValue(),
        c.getString("via"),
        c.getInt("threads"),
        c.getString("client-parser"));
  }

  /** The concurrency limits the routing table enforces. */
  public RoutingTable.Limits limits() {
    return new RoutingTable.Limits(maxConnectionsPerDyno, backlogPerDyno);
  }

  public RouterSettings withPort(int newPort) {
    return with(b -> b.port = newPort);
  }

  public RouterSettings withPolicy(String newPolicy) {
    return with(b -> b.policy = newPolicy);
  }

  public RouterSettings withRequestTimeout(Duration timeout) {
    return with(b -> b.requestTimeout = timeout);
  }

  public RouterSettings withBootQueueTimeout(Duration timeout) {
    return with(b -> b.bootQueueTimeout = timeout);
  }

  public RouterSettings withIdleTimeout(Duration timeout) {
    return with(b -> b.idleTimeout = timeout);
  }

  public RouterSettings withConnectTimeout(Duration timeout) {
    return with(b -> b.connectTimeout = timeout);
  }

  /** Whether the router reads its clients' common requests itself ({@link ClientWire}) rather than leaving all to Pekko HTTP. */
  public boolean readsClientsItself() {
    return clientParser.equals("router");
  }

  public RouterSettings withLimits(int perDyno, int backlog) {
    return with(b -> {
      b.maxConnectionsPerDyno = perDyno;
      b.backlogPerDyno = backlog;
    });
  }

  /** A copy with some values changed: {@code s.with(b -> b.quarantine = Duration.ofSeconds(1))}. */
  public RouterSettings with(Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** The values of a {@link RouterSettings}, to change some of them. */
  public static final class Builder {
    public String host;
    public int port;
    public String policy;
    public String domain;
    public Duration requestTimeout;
    public Duration connectTimeout;
    public Duration idleTimeout;
    public Duration quarantine;
    public Duration bootQueueTimeout;
    public int bootQueueMax;
    public int maxConnectionsPerDyno;
    public int backlogPerDyno;
    public Duration dynoKeepAlive;
    public int maxRequestLine;
    public int maxHeaderLine;
    public int maxHeaders;
    public int maxResponseHeader;
    public int maxResponseStatusLine;
    public int maxResponseCookie;
    public String via;
    public int threads;
    public String clientParser;

    Builder(RouterSettings s) {
      host = s.host;
      port = s.port;
      policy = s.policy;
      domain = s.domain;
      requestTimeout = s.requestTimeout;
      connectTimeout = s.connectTimeout;
      idleTimeout = s.idleTimeout;
      quarantine = s.quarantine;
      bootQueueTimeout = s.bootQueueTimeout;
      bootQueueMax = s.bootQueueMax;
      maxConnectionsPerDyno = s.maxConnectionsPerDyno;
      backlogPerDyno = s.backlogPerDyno;
      dynoKeepAlive = s.dynoKeepAlive;
      maxRequestLine = s.maxRequestLine;
      maxHeaderLine = s.maxHeaderLine;
      maxHeaders = s.maxHeaders;
      maxResponseHeader = s.maxResponseHeader;
      maxResponseStatusLine = s.maxResponseStatusLine;
      maxResponseCookie = s.maxResponseCookie;
      via = s.via;
      threads = s.threads;
      clientParser = s.clientParser;
    }

    RouterSettings build() {
      return new RouterSettings(host, port, policy, domain, requestTimeout, connectTimeout, idleTimeout, quarantine,
          bootQueueTimeout, bootQueueMax, maxConnectionsPerDyno, backlogPerDyno, dynoKeepAlive,
          maxRequestLine, maxHeaderLine, maxHeaders, maxResponseHeader, maxResponseStatusLine, maxResponseCookie, via,
          threads, clientParser);
    }
  }

  private static void positive(String place, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(place + ": expected a duration above 0 but found " + d);
    }
  }
}
