package io.manifold.http.api;

import io.manifold.http.metrics.NodeMetrics;
import io.manifold.http.metrics.RouterReadings;
import io.manifold.http.metrics.RouterStats;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What Manifold's own endpoints ({@code /manifold/...}) know of the manifold the API runs in,
 * beyond the apps: the routers' figures, for the console's live router charts, and the members of
 * its cluster with their status ({@code up}, {@code unreachable}, ...), for the cluster view.
 *
 * @param name this node's name, as the dynos it runs carry it in their {@code node} field
 * @param routers where an app's router figures come from: every node's router in a cluster
 * @param members read at each request: every member's name and status now; a node that runs a
 *     dyno but is no member is shown as {@code unknown}
 */
public record NodeInfo(String name, RouterReadings routers, Supplier<Map<String, String>> members) {

  /** A manifold of one node, which is up while it answers. */
  public static NodeInfo single(String name, NodeMetrics metrics) {
    Map<String, String> members = Map.of(name, "up");
    return new NodeInfo(name, RouterReadings.local(new RouterStats(name, metrics)), () -> members);
  }
}
