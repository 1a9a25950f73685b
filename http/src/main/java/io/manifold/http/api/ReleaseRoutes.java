package io.manifold.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.manifold.core.app.App;
import io.manifold.core.app.AppState;
import io.manifold.core.app.Release;
import java.util.List;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /apps/{app}/releases}: list, info by id or version, and rollback ({@code {"release": id}}). */
final class ReleaseRoutes extends Routes {
  private final Lists lists;

  ReleaseRoutes(ApiContext ctx, Lists lists) {
    super(ctx);
    this.lists = lists;
  }

  Route collection(String app) {
    return concat(
        get(() -> extractRequest(req -> answer(() -> ctx.app(app).thenCompose(ctx::view).thenApply(v ->
            lists.page(req, List.of("version", "id"),
                v.state().releases().stream().map(r -> (JsonNode) ctx.resources.release(v, r)).toList()))))),
        post(() -> withObject(body -> {
          String target = Json.text(body, "release");
          if (target == null) {
            throw ApiError.invalidParams(body.has("slug")
                ? "releases from slugs are not supported by Manifold; deploy with POST /apps/{app}/builds"
                : "expected 'release': the id or version of the release to roll back to");
          }
          return ctx.app(app).thenCompose(h -> ctx.view(h).thenCompose(v -> {
            int version = find(v.state(), target).version();
            return ctx.command(h, r -> new App.Rollback(version, ctx.settings.user(), r));
          })).thenApply(o -> ApiContext.json(201, ctx.resources.release(o.view(), o.view().state().current())));
        })));
  }

  Route one(String app, String idOrVersion) {
    return get(() -> answer(() -> ctx.app(app).thenCompose(ctx::view).thenApply(v ->
        ApiContext.json(200, ctx.resources.release(v, find(v.state(), idOrVersion))))));
  }

  /** A release by id, or by version ({@code 3} or {@code v3}). */
  static Release find(AppState state, String idOrVersion) {
    String v = idOrVersion.startsWith("v") ? idOrVersion.substring(1) : idOrVersion;
    if (v.matches("\\d{1,9}")) {
      return state.release(Integer.parseInt(v)).orElseThrow(() -> ApiError.notFound("release"));
    }
    return state.releaseById(idOrVersion).orElseThrow(() -> ApiError.notFound("release"));
  }
}
