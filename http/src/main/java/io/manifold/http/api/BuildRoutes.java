package io.manifold.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.manifold.core.app.App;
import io.manifold.core.app.Slug;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /apps/{app}/builds}: a deploy. Heroku builds a slug from {@code source_blob.url}; Manifold
 * takes a directory on this machine ({@code file:///path}) and releases it. Builds are listed from
 * the releases they made.
 */
final class BuildRoutes extends Routes {
  private final Lists lists;

  BuildRoutes(ApiContext ctx, Lists lists) {
    super(ctx);
    this.lists = lists;
  }

  Route collection(String app) {
    return concat(
        get(() -> extractRequest(req -> answer(() -> ctx.app(app).thenCompose(ctx::view).thenApply(v ->
            lists.page(req, List.of("id", "created_at"), v.state().releases().stream()
                .filter(r -> r.description().startsWith("Deploy "))
                .map(r -> (JsonNode) ctx.resources.build(v, r)).toList()))))),
        post(() -> withObject(body -> {
          JsonNode blob = body.get("source_blob");
          if (blob == null || !blob.isObject() || !blob.hasNonNull("url")) {
            throw ApiError.invalidParams("expected 'source_blob': {\"url\": \"file:///path/to/app\"}");
          }
          Slug slug = Builds.slugFrom(blob.get("url").asText(), Instant.now());
          return ctx.app(app)
              .thenCompose(h -> ctx.command(h, r -> new App.Deploy(slug, ctx.settings.user(), r)))
              .thenApply(o -> ApiContext.json(201, ctx.resources.build(o.view(), o.view().state().current())));
        })));
  }
}
