package io.manifold.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.manifold.core.app.App;
import io.manifold.core.app.Release;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /apps/{app}/config-vars}: get, and a merge update in which {@code null} unsets a var;
 * every change is a new release. {@code /apps/{app}/releases/{v}/config-vars} shows a release's.
 */
final class ConfigRoutes extends Routes {
  ConfigRoutes(ApiContext ctx) {
    super(ctx);
  }

  Route current(String app) {
    return concat(
        get(() -> answer(() -> ctx.app(app).thenCompose(ctx::view).thenApply(v -> ApiContext.json(200, vars(v.state().config()))))),
        patch(() -> withObject(body -> {
          Map<String, String> changes = new HashMap<>();
          body.fields().forEachRemaining(f -> {
            JsonNode value = f.getValue();
            if (!value.isNull() && !value.isValueNode()) {
              throw ApiError.invalidParams("config var " + f.getKey() + ": expected a string or null");
            }
            changes.put(f.getKey(), value.isNull() ? null : value.asText());
          });
          return ctx.app(app)
              .thenCompose(h -> ctx.command(h, r -> new App.SetConfig(changes, ctx.settings.user(), r)))
              .thenApply(o -> ApiContext.json(200, vars(o.view().state().config())));
        })));
  }

  Route ofRelease(String app, String version) {
    return get(() -> answer(() -> ctx.app(app).thenCompose(ctx::view).thenApply(v -> {
      Release r = ReleaseRoutes.find(v.state(), version);
      return ApiContext.json(200, vars(r.config()));
    })));
  }

  private static ObjectNode vars(Map<String, String> config) {
    ObjectNode o = Json.object();
    new TreeMap<>(config).forEach(o::put);
    return o;
  }
}
