package io.manifold.core.routing;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The table of every app's routes on one router node, read by the HTTP front on every request
 * without asking an actor. The {@link Router} actor is its only writer: it publishes a new
 * immutable snapshot on each change, and wakes the requests that wait for one (the boot queue).
 * The front sets the router's {@link Limits} once it has its settings.
 */
public final class RoutingTable {

  /**
   * Heroku's concurrency limits, per router node: requests in flight to one dyno, and requests
   * waiting in an app's backlog per up web dyno (ROUTING: 50 and 50 x n).
   */
  public record Limits(int perDyno, int backlogPerDyno) {
    public static final Limits HEROKU = new Limits(50, 50);

    public Limits {
      if (perDyno < 1 || backlogPerDyno < 0) {
        throw new IllegalArgumentException("expected at least 1 request per dyno and a backlog of 0 or more, but found "
            + perDyno + " and " + backlogPerDyno);
      }
    }
  }

  private volatile Map<String, AppRoutes> apps = Map.of();
  private volatile CompletableFuture<Void> changed = new CompletableFuture<>();
  private volatile Limits limits = Limits.HEROKU;

  /** The app's routes now, or null when the router knows no such app. */
  public AppRoutes routes(String app) {
    return apps.get(app);
  }

  /** The names of the apps the router knows now. */
  public java.util.Set<String> apps() {
    return apps.keySet();
  }

  /** Every app's routes now. */
  public Map<String, AppRoutes> all() {
    return apps;
  }

  /** Completes at the next change of the table. */
  public CompletionStage<Void> nextChange() {
    return changed;
  }

  public Limits limits() {
    return limits;
  }

  public void limits(Limits newLimits) {
    this.limits = newLimits;
  }

  void publish(Map<String, AppRoutes> next) {
    apps = Map.copyOf(next);
    CompletableFuture<Void> waiting = changed;
    changed = new CompletableFuture<>();
    waiting.complete(null);
  }
}
