package io.manifold.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.manifold.core.InputException;
import io.manifold.core.app.App;
import io.manifold.core.app.AppView;
import io.manifold.core.app.Quantity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /apps/{app}/formation}: list, info, batch update and update of one type. Quantities come
 * as numbers, as strings, and as {@code "+1"}/{@code "-1"}, and sizes as {@code size} or
 * {@code dyno_size.name}, as the real CLI sends them; a batch is applied whole or not at all.
 */
final class FormationRoutes extends Routes {
  private final Lists lists;

  FormationRoutes(ApiContext ctx, Lists lists) {
    super(ctx);
    this.lists = lists;
  }

  Route collection(String app) {
    return concat(
        get(() -> extractRequest(req -> answer(() -> ctx.app(app).thenCompose(ctx::view).thenApply(v ->
            lists.page(req, List.of("id", "type"), List.copyOf(toList(ctx.resources.formations(v)))))))),
        patch(() -> withObject(body -> batch(app, body))));
  }

  Route one(String app, String type) {
    return concat(
        get(() -> answer(() -> ctx.app(app).thenCompose(ctx::view).thenApply(v -> ApiContext.json(200, ctx.resources.formation(v, typeOf(v, type)))))),
        patch(() -> withObject(body -> ctx.app(app).thenCompose(ctx::view).thenCompose(v -> {
          String t = typeOf(v, type);
          Map<String, Quantity> q = new LinkedHashMap<>();
          Map<String, String> sizes = new LinkedHashMap<>();
          entry(body, t, "", q, sizes);
          return scale(app, q, sizes).thenApply(after -> ApiContext.json(200, ctx.resources.formation(after, t)));
        }))));
  }

  private CompletionStage<HttpResponse> batch(String app, JsonNode body) {
    JsonNode updates = body.get("updates");
    if (updates == null || !updates.isArray()) {
      throw ApiError.invalidParams("expected 'updates': a list of {type, quantity, size}");
    }
    Map<String, Quantity> q = new LinkedHashMap<>();
    Map<String, String> sizes = new LinkedHashMap<>();
    for (int i = 0; i < updates.size(); i++) {
      JsonNode u = updates.get(i);
      String place = "updates[" + i + "]";
      if (!u.isObject() || !u.hasNonNull("type") || !u.get("type").isTextual()) {
        throw ApiError.invalidParams(place + ": expected an object with a 'type'");
      }
      entry(u, u.get("type").asText(), place + ".", q, sizes);
    }
    return scale(app, q, sizes).thenApply(after -> ApiContext.json(200, ctx.resources.formations(after)));
  }

  /** Reads one update's quantity and size into the maps. */
  private static void entry(JsonNode u, String type, String place, Map<String, Quantity> q, Map<String, String> sizes) {
    JsonNode quantity = u.get("quantity");
    if (quantity != null && !quantity.isNull()) {
      if (quantity.isIntegralNumber() && quantity.canConvertToInt()) {
        q.put(type, Quantity.absolute(quantity.asInt()));
      } else if (quantity.isTextual()) {
        try {
          q.put(type, Quantity.parse(quantity.asText(), place + "quantity"));
        } catch (InputException e) {
          throw ApiError.invalidParams(e.getMessage());
        }
      } else {
        throw ApiError.invalidParams(place + "quantity: expected a number or a string such as \"3\", \"+1\" or \"-1\"");
      }
    }
    String size = u.hasNonNull("size") ? u.get("size").asText() : null;
    JsonNode dynoSize = u.get("dyno_size");
    if (dynoSize != null && dynoSize.isObject() && dynoSize.hasNonNull("name")) {
      size = dynoSize.get("name").asText();
    }
    if (size != null) {
      sizes.put(type, size);
    }
  }

  private CompletionStage<AppView> scale(String app, Map<String, Quantity> q, Map<String, String> sizes) {
    return ctx.app(app).thenCompose(h -> ctx.command(h, r -> new App.Scale(q, sizes, ctx.settings.user(), r)))
        .thenApply(App.Outcome::view);
  }

  /** A formation is named by its type or its id. */
  private static String typeOf(AppView v, String typeOrId) {
    for (String type : v.state().quantities().keySet()) {
      if (type.equals(typeOrId) || v.state().formationId(type).equals(typeOrId)) {
        return type;
      }
    }
    throw ApiError.notFound("formation");
  }

  private static List<JsonNode> toList(Iterable<JsonNode> nodes) {
    java.util.ArrayList<JsonNode> out = new java.util.ArrayList<>();
    nodes.forEach(out::add);
    return out;
  }
}
