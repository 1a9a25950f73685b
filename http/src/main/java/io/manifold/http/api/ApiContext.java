package io.manifold.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.manifold.core.app.App;
import io.manifold.core.app.AppHandle;
import io.manifold.core.app.Apps;
import io.manifold.core.app.AppView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * What every route needs: the apps, the settings, the resource renderers, and the few
 * moves every handler makes (find an app, ask it, answer in Heroku's shape).
 */
final class ApiContext {
  final ActorSystem<?> system;
  final Apps apps;
  final ApiSettings settings;
  final Resources resources;
  final LogSessions logSessions;

  ApiContext(ActorSystem<?> system, Apps apps, ApiSettings settings) {
    this.system = system;
    this.apps = apps;
    this.settings = settings;
    this.resources = new Resources(settings);
    this.logSessions = new LogSessions(settings);
  }

  <Req, Res> CompletionStage<Res> ask(RecipientRef<Req> to, Function<ActorRef<Res>, Req> message) {
    return AskPattern.ask(to, message::apply, settings.askTimeout(), system.scheduler());
  }

  /** The app by name or id, or a 404 with Heroku's message. */
  CompletionStage<AppHandle> app(String nameOrId) {
    return apps.find(nameOrId).thenApply(found -> {
      if (found == null) {
        throw ApiError.notFound("app");
      }
      return found;
    });
  }

  CompletionStage<AppView> view(AppHandle app) {
    return ask(app.app(), App.GetView::new);
  }

  /** Every app's view, in name order. */
  CompletionStage<List<AppView>> views() {
    return apps.list()
        .thenCompose(listed -> {
          List<CompletableFuture<AppView>> each = new ArrayList<>();
          listed.forEach(h -> each.add(view(h).toCompletableFuture()));
          return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
              .thenApply(v -> each.stream().map(CompletableFuture::join).toList());
        });
  }

  /** Asks the app to do something; a refusal becomes Heroku's error, an acceptance the app's view. */
  CompletionStage<App.Outcome> command(AppHandle app, Function<ActorRef<App.Outcome>, App.Command> message) {
    return ask(app.app(), message).thenApply(outcome -> {
      if (!outcome.accepted()) {
        throw new ApiError(ApiError.statusOf(outcome.error()), outcome.error(), outcome.message());
      }
      return outcome;
    });
  }

  static HttpResponse json(int status, JsonNode body) {
    return HttpResponse.create()
        .withStatus(StatusCodes.get(status))
        .withEntity(ContentTypes.APPLICATION_JSON, Json.write(body).getBytes(StandardCharsets.UTF_8));
  }

  static HttpResponse error(int status, String id, String message) {
    return json(status, Json.object().put("id", id).put("message", message));
  }

  /** Turns a failed stage into Heroku's error response; 503 when an app did not answer in time. */
  static HttpResponse failure(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof ApiError e) {
      return error(e.status, e.id, e.getMessage());
    }
    if (cause instanceof TimeoutException || cause.getClass().getSimpleName().contains("Timeout")) {
      return error(503, "service_unavailable", "The app did not answer in time; try again.");
    }
    return error(500, "internal_server_error", "Manifold failed to handle the request: " + cause);
  }

  static CompletionStage<HttpResponse> answer(CompletionStage<HttpResponse> response) {
    return response.exceptionally(ApiContext::failure);
  }

  static HttpResponse withHeader(HttpResponse r, String name, String value) {
    return r.addHeader(RawHeader.create(name, value));
  }

  /** Runs a handler; bad input it throws at once is answered like a failure of its stage. */
  static CompletionStage<HttpResponse> safely(Supplier<CompletionStage<HttpResponse>> handler) {
    try {
      return answer(handler.get());
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(failure(e));
    }
  }
}
