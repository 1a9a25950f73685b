package io.manifold.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.manifold.core.app.AppHandle;
import io.manifold.core.logs.LogChannel;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /apps/{app}/log-drains}: list, add (HTTPS, Logplex framing), info and remove by id, URL or token. */
final class DrainRoutes extends Routes {
  private final Lists lists;

  DrainRoutes(ApiContext ctx, Lists lists) {
    super(ctx);
    this.lists = lists;
  }

  Route collection(String app) {
    return concat(
        get(() -> extractRequest(req -> answer(() -> ctx.app(app).thenCompose(h -> ctx.view(h).thenCompose(v ->
            drains(h).thenApply(d -> lists.page(req, List.of("id", "url"),
                d.drains().stream().map(x -> (JsonNode) ctx.resources.drain(v, x)).toList()))))))),
        post(() -> withObject(body -> {
          String url = Json.text(body, "url");
          if (url == null) {
            throw ApiError.invalidParams("expected 'url': the drain's https:// URL");
          }
          return ctx.app(app).thenCompose(h -> ctx.view(h).thenCompose(v ->
              ctx.<LogChannel.Command, LogChannel.DrainReply>ask(h.logs(), r -> new LogChannel.AddDrain(url, r))
                  .thenApply(reply -> drainResponse(reply, 201, v))));
        })));
  }

  Route one(String app, String drain) {
    return concat(
        get(() -> answer(() -> ctx.app(app).thenCompose(h -> ctx.view(h).thenCompose(v -> drains(h).thenApply(d ->
            ApiContext.json(200, ctx.resources.drain(v, d.drains().stream()
                .filter(x -> x.id().equals(drain) || x.url().equals(drain) || x.token().equals(drain))
                .findFirst().orElseThrow(() -> ApiError.notFound("log drain"))))))))),
        delete(() -> answer(() -> ctx.app(app).thenCompose(h -> ctx.view(h).thenCompose(v ->
            ctx.<LogChannel.Command, LogChannel.DrainReply>ask(h.logs(), r -> new LogChannel.RemoveDrain(drain, r))
                .thenApply(reply -> drainResponse(reply, 200, v)))))));
  }

  private CompletionStage<LogChannel.Drains> drains(AppHandle h) {
    return ctx.ask(h.logs(), LogChannel.ListDrains::new);
  }

  private HttpResponse drainResponse(LogChannel.DrainReply reply, int status, io.manifold.core.app.AppView v) {
    if (reply.error() != null) {
      throw new ApiError(ApiError.statusOf(reply.error()), reply.error(), reply.message());
    }
    return ApiContext.json(status, ctx.resources.drain(v, reply.drain()));
  }
}
