package io.manifold.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.manifold.core.routing.RoutingTable;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;
import org.apache.pekko.http.javadsl.settings.ServerSettings;

/**
 * A router node's HTTP front: binds the {@link Proxy} on the router's host and port, with Pekko
 * HTTP set up as a proxy needs it (see {@link #serverConfig} and {@link #poolConfig}).
 */
public final class RouterFront {
  private RouterFront() {}

  /** Binds the front; the stage completes with the binding, whose address has the real port. */
  public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, RouterSettings settings, RoutingTable table) {
    Config base = system.settings().config();
    ConnectionPoolSettings pool = ConnectionPoolSettings.create(poolConfig(settings).withFallback(base));
    ServerSettings server = ServerSettings.create(serverConfig().withFallback(base));
    Proxy proxy = new Proxy(system, settings, table, pool);
    return Http.get(system)
        .newServerAt(settings.host(), settings.port())
        .withSettings(server)
        .bind(proxy)
        .thenApply(binding -> {
          proxy.boundTo(binding.localAddress().getPort());
          return binding;
        });
  }

  /**
   * The server side. The router's own timers (H12 at 30 s, H20 at 75 s) bound every request, so
   * Pekko's request time-out is off; bodies stream through and are never held, so they need no
   * size limit; the request line may be as long as Heroku allows (8 KB).
   */
  static Config serverConfig() {
    return ConfigFactory.parseString("""
        pekko.http.server {
          server-header = ""
          remote-address-attribute = on
          request-timeout = infinite
          parsing.max-content-length = infinite
          parsing.max-uri-length = 8k
        }
        """);
  }

  /**
   * The client side, towards dynos: a pool per dyno of at most {@code max-connections-per-dyno}
   * keep-alive connections, no retries (Heroku does not resend a request a dyno has seen), no
   * {@code User-Agent} of our own, Heroku's 5 s connect time-out.
   */
  static Config poolConfig(RouterSettings s) {
    int openRequests = Integer.highestOneBit(Math.max(1, s.maxOpenRequestsPerDyno() - 1)) << 1;
    String client = """
        {
          connecting-timeout = %dms
          user-agent-header = ""
          idle-timeout = infinite
          parsing.max-content-length = infinite
          parsing.max-header-value-length = 512k
        }
        """.formatted(s.connectTimeout().toMillis());
    return ConfigFactory.parseString("""
        pekko.http.host-connection-pool {
          max-connections = %d
          max-open-requests = %d
          max-retries = 0
          keep-alive-timeout = %dms
          response-entity-subscription-timeout = 10s
          client = %s
        }
        pekko.http.client = %s
        """.formatted(s.maxConnectionsPerDyno(), openRequests, s.dynoKeepAlive().toMillis(), client, client));
  }
}
