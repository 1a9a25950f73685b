package io.manifold.http.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where a node's API gets an app's router figures: from its own router alone ({@link #local}, a
 * manifold of one node), or from every node's router (the cluster's implementation asks each
 * node, bounded by a timeout). Either way the answer is the windows to {@link RouterStats#merge}
 * and the nodes that should have answered but did not.
 */
@FunctionalInterface
public interface RouterReadings {

  /** Every node's window for the app that came in time. */
  CompletionStage<Gathered> read(String app);

  /**
   * @param windows one per node that answered, in node name order
   * @param missing the nodes whose figures are left out, by name (sorted), each with why: unreachable,
   *     down, not known to the asking node yet, or no answer in time
   */
  record Gathered(List<RouterStats.Window> windows, Map<String, String> missing) {}

  /** This node's own figures only. */
  static RouterReadings local(RouterStats stats) {
    return app -> CompletableFuture.completedFuture(new Gathered(List.of(stats.window(app)), Map.of()));
  }
}
