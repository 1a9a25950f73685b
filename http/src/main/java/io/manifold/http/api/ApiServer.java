package io.manifold.http.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.manifold.core.app.Apps;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.settings.ServerSettings;

/** Binds the Platform API, with the web console beside it, on its own port (127.0.0.1 by default). */
public final class ApiServer {
  private ApiServer() {}

  /**
   * @param node what the console's endpoints read beyond the apps (router figures, cluster members)
   * @param extra more routes behind the API's checks (the node's {@code /metrics}); may be null
   */
  public static CompletionStage<ServerBinding> bind(
      ActorSystem<?> system, ApiSettings settings, Apps apps, NodeInfo node, Route extra) {
    // a port of 0 is only known once bound, and the log sessions' URLs carry it: bind first, then route
    Config config = ConfigFactory.parseString("pekko.http.server { server-header = \"\", request-timeout = 60s, idle-timeout = infinite }")
        .withFallback(system.settings().config());
    ServerSettings server = ServerSettings.create(config);
    var holder = new java.util.concurrent.atomic.AtomicReference<ApiSettings>(settings);
    var routes = new java.util.concurrent.atomic.AtomicReference<Route>();
    return Http.get(system).newServerAt(settings.host(), settings.port()).withSettings(server)
        .bind(new DeferredRoute(routes).route())
        .thenApply(binding -> {
          ApiSettings bound = holder.get().withPort(binding.localAddress().getPort());
          routes.set(new ApiRoutes(new ApiContext(system, apps, bound), node, extra).route());
          return binding;
        });
  }
}
