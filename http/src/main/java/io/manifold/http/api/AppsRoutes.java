package io.manifold.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.manifold.core.app.App;
import io.manifold.core.app.Slug;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /apps} and {@code /users/~/apps}: list, create, info, update (maintenance), delete. */
final class AppsRoutes extends Routes {
  private final Lists lists;

  AppsRoutes(ApiContext ctx, Lists lists) {
    super(ctx);
    this.lists = lists;
  }

  /** The routes at {@code /apps} (and the owner's listing). */
  Route collection() {
    return concat(
        get(() -> extractRequest(req -> answer(() -> ctx.views().thenApply(views ->
            lists.page(req, List.of("id", "name"), views.stream().map(v -> (JsonNode) ctx.resources.app(v)).toList()))))),
        post(() -> withObject(this::create)));
  }

  Route one(String app) {
    return concat(
        get(() -> answer(() -> ctx.app(app).thenCompose(ctx::view).thenApply(v -> ApiContext.json(200, ctx.resources.app(v))))),
        patch(() -> withObject(body -> update(app, body))),
        delete(() -> answer(() -> ctx.app(app).thenCompose(h -> ctx.apps.destroy(h.name(), ctx.settings.user()))
            .thenApply(o -> {
              if (!o.accepted()) {
                throw new ApiError(ApiError.statusOf(o.error()), o.error(), o.message());
              }
              return ApiContext.json(200, ctx.resources.app(o.view()));
            }))));
  }

  private CompletionStage<HttpResponse> create(JsonNode body) {
    String name = Json.text(body, "name");
    String region = Json.text(body, "region");
    if (region != null && !region.equals("us")) {
      throw ApiError.invalidParams("Manifold has one region, us; not '" + region + "'");
    }
    Slug slug = null;
    JsonNode manifold = body.get("manifold");
    if (manifold != null && manifold.hasNonNull("dir")) {
      slug = Builds.slugFrom(manifold.get("dir").asText(), Instant.now());
    }
    Slug deploy = slug;
    return ctx.apps.create(name, ctx.settings.user(), deploy, Map.of(), Map.of())
        .thenCompose(created -> {
          if (created.error() != null) {
            throw new ApiError(ApiError.statusOf(created.error()), created.error(), created.message());
          }
          return ctx.view(ctx.apps.handle(created.app()));
        })
        .thenApply(view -> ApiContext.json(201, ctx.resources.app(view)));
  }

  private CompletionStage<HttpResponse> update(String app, JsonNode body) {
    String newName = Json.text(body, "name");
    if (newName != null && !newName.equals(app)) {
      throw ApiError.invalidParams("renaming an app is not supported by Manifold; create a new one");
    }
    Boolean maintenance = Json.bool(body, "maintenance");
    return ctx.app(app).thenCompose(h -> maintenance == null
        ? ctx.view(h)
        : ctx.command(h, r -> new App.SetMaintenance(maintenance, ctx.settings.user(), r)).thenApply(App.Outcome::view))
        .thenApply(v -> ApiContext.json(200, ctx.resources.app(v)));
  }
}
