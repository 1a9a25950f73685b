package io.manifold.cluster;

import com.typesafe.config.Config;
import io.manifold.core.dyno.DynoSettings;
import io.manifold.core.logs.LogSettings;
import io.manifold.http.RouterSettings;
import io.manifold.http.api.ApiSettings;

/**
 * A node's settings, read once from {@code manifold { }}.
 *
 * @param token the API's token
 * @param node the node's name, shown with each dyno
 */
record NodeSettings(
    Config manifold, DynoSettings dynos, LogSettings logs, RouterSettings router, String token, int maxApps, String node,
    java.time.Duration reconcileEvery) {

  static NodeSettings fromConfig(Config manifold, String token, String node) {
    return new NodeSettings(manifold, DynoSettings.fromConfig(manifold), LogSettings.fromConfig(manifold),
        RouterSettings.fromConfig(manifold), token, manifold.getInt("apps.max"), node, manifold.getDuration("apps.reconcile-every"));
  }

  ApiSettings api(String routerUrl) {
    return ApiSettings.fromConfig(manifold, token, routerUrl);
  }
}
