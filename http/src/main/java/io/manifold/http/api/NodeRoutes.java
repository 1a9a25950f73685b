package io.manifold.http.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.manifold.core.app.AppView;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /manifold/nodes}: every node with its status and the dynos it runs, for the
 * console's cluster view. The dynos are the apps' own lists (each dyno names its {@code node}),
 * grouped; the statuses are the cluster's members as the node sees them. A node that runs dynos
 * but is no member is {@code unknown}; a member without dynos is listed with none.
 */
final class NodeRoutes extends Routes {
  private final NodeInfo node;

  NodeRoutes(ApiContext ctx, NodeInfo node) {
    super(ctx);
    this.node = node;
  }

  Route nodes() {
    return get(() -> answer(() -> ctx.views().thenApply(views -> ApiContext.json(200, render(views, node.members().get())))));
  }

  private ArrayNode render(List<AppView> views, Map<String, String> members) {
    Map<String, ArrayNode> dynosByNode = new TreeMap<>();
    members.keySet().forEach(name -> dynosByNode.put(name, Json.array()));
    for (AppView view : views) { // in app name order, each app's dynos in the app's order
      for (AppView.DynoView d : view.dynos()) {
        dynosByNode.computeIfAbsent(d.node(), n -> Json.array()).add(ctx.resources.dyno(view, d));
      }
    }
    ArrayNode list = Json.array();
    dynosByNode.forEach((name, dynos) -> {
      ObjectNode n = Json.object().put("name", name).put("status", members.getOrDefault(name, "unknown"));
      n.set("dynos", dynos);
      list.add(n);
    });
    return list;
  }
}
