package io.manifold.core.routing;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The table of every app's routes on one router node, read by the HTTP front on every request
 * without asking an actor. The {@link Router} actor is its only writer: it publishes a new
 * immutable snapshot on each change, and wakes the requests that wait for one (the boot queue).
 */
public final class RoutingTable {
  private volatile Map<String, AppRoutes> apps = Map.of();
  private volatile CompletableFuture<Void> changed = new CompletableFuture<>();

  /** The app's routes now, or null when the router knows no such app. */
  public AppRoutes routes(String app) {
    return apps.get(app);
  }

  /** The names of the apps the router knows now. */
  public java.util.Set<String> apps() {
    return apps.keySet();
  }

  /** Completes at the next change of the table. */
  public CompletionStage<Void> nextChange() {
    return changed;
  }

  void publish(Map<String, AppRoutes> next) {
    apps = Map.copyOf(next);
    CompletableFuture<Void> waiting = changed;
    changed = new CompletableFuture<>();
    waiting.complete(null);
  }
}
