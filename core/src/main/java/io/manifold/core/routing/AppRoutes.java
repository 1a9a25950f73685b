package io.manifold.core.routing;

import io.manifold.core.logs.LogChannel;
import java.util.List;
import org.apache.pekko.actor.typed.RecipientRef;

/**
 * What the router knows of one app at one moment: its up web dynos (sorted by name), how many
 * web dynos are starting or crashed, the policy that picks among them, where the router's log
 * lines for the app go, its backlog on this router (the same object across snapshots), and its
 * router settings (maintenance mode, custom pages).
 */
public record AppRoutes(
    String app,
    List<Route> up,
    int starting,
    int crashed,
    RoutingPolicy policy,
    RecipientRef<LogChannel.Command> logs,
    Backlog backlog,
    Router.AppSettings settings) {

  public AppRoutes {
    up = List.copyOf(up);
  }

  /** No web dyno at all: Heroku's H14. */
  public boolean noWebDynos() {
    return up.isEmpty() && starting == 0 && crashed == 0;
  }

  /** None up, but some on their way: the router holds requests (boot queue) until one is. */
  public boolean booting() {
    return up.isEmpty() && starting > 0;
  }

  /** Picks a dyno for a request; only when {@link #up} is not empty. Takes no slot. */
  public Route choose() {
    return policy.choose(up);
  }

  /** Requests this router has in flight to the app's dynos now. */
  public int inFlight() {
    int n = 0;
    for (Route r : up) {
      n += r.inFlight();
    }
    return n;
  }
}
