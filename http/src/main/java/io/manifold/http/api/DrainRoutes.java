package io.manifold.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.manifold.core.app.App;
import io.manifold.core.app.AppView;
import io.manifold.core.logs.Drain;
import java.util.List;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /apps/{app}/log-drains}: list, add (HTTPS, Logplex framing), info and remove by id, URL
 * or token. Drains are kept with the app, so they survive a restart.
 */
final class DrainRoutes extends Routes {
  private final Lists lists;

  DrainRoutes(ApiContext ctx, Lists lists) {
    super(ctx);
    this.lists = lists;
  }

  Route collection(String app) {
    return concat(
        get(() -> extractRequest(req -> answer(() -> ctx.app(app).thenCompose(ctx::view).thenApply(v ->
            lists.page(req, List.of("id", "url"), v.state().drains().stream().map(d -> (JsonNode) ctx.resources.drain(v, d)).toList()))))),
        post(() -> withObject(body -> {
          String url = Json.text(body, "url");
          if (url == null) {
            throw ApiError.invalidParams("expected 'url': the drain's https:// URL");
          }
          return ctx.app(app)
              .thenCompose(h -> ctx.command(h, r -> new App.AddDrain(url, ctx.settings.user(), r)))
              .thenApply(o -> ApiContext.json(201, ctx.resources.drain(o.view(), byId(o.view(), o.message()))));
        })));
  }

  Route one(String app, String drain) {
    return concat(
        get(() -> answer(() -> ctx.app(app).thenCompose(ctx::view).thenApply(v -> ApiContext.json(200, ctx.resources.drain(v,
            v.state().drains().stream().filter(x -> x.id().equals(drain) || x.url().equals(drain) || x.token().equals(drain))
                .findFirst().orElseThrow(() -> ApiError.notFound("log drain"))))))),
        delete(() -> answer(() -> ctx.app(app).thenCompose(h -> ctx.view(h).thenCompose(before ->
            ctx.command(h, r -> new App.RemoveDrain(drain, ctx.settings.user(), r))
                .thenApply(o -> ApiContext.json(200, ctx.resources.drain(o.view(), byId(before, o.message())))))))));
  }

  private static Drain byId(AppView v, String id) {
    return v.state().drains().stream().filter(d -> d.id().equals(id)).findFirst().orElseThrow(() -> ApiError.notFound("log drain"));
  }
}
