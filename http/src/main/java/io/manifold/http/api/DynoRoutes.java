package io.manifold.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.manifold.core.app.App;
import io.manifold.core.app.AppView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /apps/{app}/dynos}: list, info, one-off {@code run.N} create, restart (all, one, a type
 * at {@code /formations/{type}}), stop. Dyno actions answer 202 with {@code {}}.
 */
final class DynoRoutes extends Routes {
  private final Lists lists;

  DynoRoutes(ApiContext ctx, Lists lists) {
    super(ctx);
    this.lists = lists;
  }

  Route collection(String app) {
    return concat(
        get(() -> extractRequest(req -> answer(() -> ctx.app(app).thenCompose(ctx::view).thenApply(v ->
            lists.page(req, List.of("id", "name"), v.dynos().stream().map(d -> (JsonNode) ctx.resources.dyno(v, d)).toList()))))),
        post(() -> withObject(body -> run(app, body))),
        delete(() -> answer(() -> accepted(app, r -> new App.Restart(null, ctx.settings.user(), r)))));
  }

  Route one(String app, String dyno) {
    return concat(
        get(() -> answer(() -> ctx.app(app).thenCompose(ctx::view).thenApply(v -> ApiContext.json(200, ctx.resources.dyno(v, find(v, dyno)))))),
        // heroku ps:restart web sends the process type here, and Heroku restarts that type
        delete(() -> answer(() -> namedOrType(app, dyno).thenCompose(name -> accepted(app, r -> new App.Restart(name, ctx.settings.user(), r))))));
  }

  Route stopOne(String app, String dyno) {
    return post(() -> answer(() -> named(app, dyno).thenCompose(name -> accepted(app, r -> new App.Stop(name, ctx.settings.user(), r)))));
  }

  /** {@code DELETE /apps/{app}/formations/{type}}: restarts a process type. */
  Route restartType(String app, String type) {
    return delete(() -> answer(() -> accepted(app, r -> new App.Restart(type, ctx.settings.user(), r))));
  }

  Route stopType(String app, String type) {
    return post(() -> answer(() -> accepted(app, r -> new App.Stop(type, ctx.settings.user(), r))));
  }

  private CompletionStage<HttpResponse> run(String app, JsonNode body) {
    String command = Json.text(body, "command");
    if (command == null || command.isBlank()) {
      throw ApiError.invalidParams("a one-off dyno needs a 'command'");
    }
    if (Boolean.TRUE.equals(Json.bool(body, "attach"))) {
      throw ApiError.invalidParams("attached runs (heroku run) are not supported by Manifold; use run:detached and read the output with logs");
    }
    Map<String, String> env = new LinkedHashMap<>();
    JsonNode e = body.get("env");
    if (e != null && !e.isNull()) {
      if (!e.isObject()) {
        throw ApiError.invalidParams("'env' must be an object of strings");
      }
      e.fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText()));
    }
    return ctx.app(app)
        .thenCompose(h -> ctx.command(h, r -> new App.RunOneOff(command, env, ctx.settings.user(), r)))
        .thenApply(o -> ApiContext.json(201, ctx.resources.dyno(o.view(), o.view().dynos().stream()
            .filter(d -> d.name().equals(o.detail())).findFirst().orElseThrow())));
  }

  private CompletionStage<HttpResponse> accepted(String app, java.util.function.Function<org.apache.pekko.actor.typed.ActorRef<App.Outcome>, App.Command> command) {
    return ctx.app(app).thenCompose(h -> ctx.command(h, command)).thenApply(o -> ApiContext.json(202, Json.object()));
  }

  /** A dyno is named by its name or its id. */
  private CompletionStage<String> named(String app, String dyno) {
    return ctx.app(app).thenCompose(ctx::view).thenApply(v -> find(v, dyno).name());
  }

  private CompletionStage<String> namedOrType(String app, String dynoOrType) {
    return ctx.app(app).thenCompose(ctx::view).thenApply(v -> v.dynos().stream()
        .filter(d -> d.status().name().type().equals(dynoOrType)).findFirst()
        .map(d -> dynoOrType)
        .orElseGet(() -> find(v, dynoOrType).name()));
  }

  private static AppView.DynoView find(AppView v, String nameOrId) {
    return v.dynos().stream().filter(d -> d.name().equals(nameOrId) || d.id().equals(nameOrId)).findFirst()
        .orElseThrow(() -> ApiError.notFound("dyno"));
  }
}
