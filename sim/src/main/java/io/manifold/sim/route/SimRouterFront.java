package io.manifold.sim.route;

import io.manifold.core.logs.LogChannel;
import io.manifold.core.routing.AppRoutes;
import io.manifold.core.routing.HCode;
import io.manifold.core.routing.Route;
import io.manifold.core.routing.RouterLine;
import io.manifold.core.routing.RoutingTable;
import io.manifold.sim.runtime.SimNetwork;
import io.manifold.sim.runtime.SyntheticDyno;
import io.manifold.sim.time.SimClock;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One router node's request path in a simulation: the counterpart of the live front
 * ({@code io.manifold.http.Proxy}) with the network replaced by a {@link SimNetwork}. It makes the
 * same decisions with the same core classes: it reads its node's {@link RoutingTable} (published by
 * that node's core {@code Router} actor) without asking an actor, lets the app's
 * {@link io.manifold.core.routing.RoutingPolicy} pick one of the up {@link Route}s, and counts the
 * request in that route's in-flight count from the moment it leaves for the dyno until the dyno
 * answers. Like the live front, it never sends an actor message per request (unless router lines
 * are logged).
 *
 * <p>Runs on the simulation clock's thread only.
 */
public final class SimRouterFront {
  private final int node;
  private final String app;
  private final RoutingTable table;
  private final SimClock clock;
  private final SimNetwork network;
  private final FrontSettings settings;
  private final Consumer<Request> answers;
  private final Clock wall;
  /** Requests sent to a dyno (or waiting at the router) until H12. */
  private final Deadlines inFlight;
  /** Requests held while the app's web dynos boot, until H20. */
  private final Deadlines bootDeadlines;
  private final ArrayDeque<Request> booting = new ArrayDeque<>();
  /** With {@link FrontSettings.Queue#ROUTER}: requests waiting for a dyno with a free slot. */
  private final ArrayDeque<Request> held = new ArrayDeque<>();
  private boolean watchingTable;

  /**
   * @param node this router's number, 0-based
   * @param answers where every request goes once answered, exactly once
   * @param wall the time written on router lines
   */
  public SimRouterFront(int node, String app, RoutingTable table, SimClock clock, SimNetwork network,
      FrontSettings settings, Consumer<Request> answers, Clock wall) {
    this.node = node;
    this.app = app;
    this.table = table;
    this.clock = clock;
    this.network = network;
    this.settings = settings;
    this.answers = answers;
    this.wall = wall;
    this.inFlight = new Deadlines(clock, settings.timeout().toNanos(), r -> answer(r, HCode.H12.status(), HCode.H12));
    this.bootDeadlines = new Deadlines(clock, settings.bootQueueTimeout().toNanos(), r -> answer(r, HCode.H20.status(), HCode.H20));
  }

  public int node() {
    return node;
  }

  public RoutingTable table() {
    return table;
  }

  /** A request reaches this router. */
  public void dispatch(Request r) {
    r.routerNode = node;
    r.front = this;
    AppRoutes routes = table.routes(app);
    if (routes == null) {
      answer(r, 404, null); // Heroku's "no such app" page
    } else if (!routes.up().isEmpty()) {
      route(r, routes);
    } else if (routes.booting()) {
      holdForBoot(r);
    } else {
      HCode code = routes.noWebDynos() ? HCode.H14 : HCode.H10;
      answer(r, code.status(), code);
    }
  }

  private void route(Request r, AppRoutes routes) {
    if (settings.queue() == FrontSettings.Queue.DYNO) {
      inFlight.add(r);
      forward(r, routes.choose());
      return;
    }
    if (held.size() >= settings.routerQueueMax()) {
      answer(r, HCode.H11.status(), HCode.H11);
      return;
    }
    inFlight.add(r);
    held.addLast(r);
    pump(routes);
  }

  /** Router queue: sends waiting requests, oldest first, while some dyno has a free slot. */
  private void pump(AppRoutes routes) {
    while (!held.isEmpty()) {
      Request head = held.peekFirst();
      if (head.isAnswered()) {
        held.pollFirst(); // timed out while waiting
        continue;
      }
      Route free = freeRoute(routes);
      if (free == null) {
        return;
      }
      held.pollFirst();
      forward(head, free);
    }
  }

  /** The policy's pick among the dynos with fewer requests in flight than they serve at once. */
  private Route freeRoute(AppRoutes routes) {
    List<Route> free = null;
    for (Route route : routes.up()) {
      if (route.inFlight() < settings.dynoConcurrency()) {
        if (free == null) {
          free = new ArrayList<>(routes.up().size());
        }
        free.add(route);
      }
    }
    return free == null ? null : routes.policy().choose(free);
  }

  private void forward(Request r, Route route) {
    route.tryStart(Integer.MAX_VALUE); // the simulated front keeps its own limit (freeRoute); this only counts
    r.route = route;
    r.dyno = route.dyno();
    SyntheticDyno dyno = network.connect(route.endpoint());
    if (dyno == null) {
      lost(r, HCode.H21);
      return;
    }
    r.atDyno = clock.nanos();
    dyno.accept(r);
  }

  /** The dyno answered: the request leaves the route's in-flight count. */
  void served(Request r, int status) {
    Route route = r.route;
    route.finished();
    if (!r.isAnswered()) {
      answer(r, status, null);
    }
    afterFinish();
  }

  /** The dyno could not answer it. */
  void lost(Request r, HCode code) {
    r.route.finished();
    if (!r.isAnswered()) {
      answer(r, code.status(), code);
    }
    afterFinish();
  }

  private void afterFinish() {
    if (!held.isEmpty()) {
      AppRoutes routes = table.routes(app);
      if (routes != null) {
        pump(routes);
      }
    }
  }

  // --- the boot queue: held until a web dyno is up ---

  private void holdForBoot(Request r) {
    if (booting.size() >= settings.bootQueueMax()) {
      answer(r, HCode.H11.status(), HCode.H11);
      return;
    }
    bootDeadlines.add(r);
    booting.addLast(r);
    watchTable();
  }

  private void watchTable() {
    if (!watchingTable) {
      watchingTable = true;
      // the Router actor completes this when it publishes; the requests go on on the clock's thread
      table.nextChange().thenRun(() -> clock.post(this::tableChanged));
    }
  }

  private void tableChanged() {
    watchingTable = false;
    AppRoutes routes = table.routes(app);
    if (routes != null && routes.booting()) {
      watchTable();
      return;
    }
    while (!booting.isEmpty()) {
      Request r = booting.pollFirst();
      if (!r.isAnswered()) {
        dispatch(r);
      }
    }
    bootDeadlines.trim();
  }

  // --- answers ---

  private void answer(Request r, int status, HCode code) {
    r.answeredAt = clock.nanos();
    r.status = status;
    r.code = code;
    inFlight.trim();
    if (settings.logRequests()) {
      log(r);
    }
    answers.accept(r);
  }

  private void log(Request r) {
    AppRoutes routes = table.routes(app);
    if (routes == null) {
      return;
    }
    RouterLine line = new RouterLine(r.code, r.code == null ? null : (r.code == HCode.H18 ? "backend" : null), null,
        "GET", "/", app + ".herokuapp.com", "sim-" + r.id, "10.0.0.1",
        r.dyno == null ? null : r.dyno.toString(), r.dyno == null ? -1 : 0,
        r.started < 0 ? -1 : (r.answeredAt - r.started) / 1_000_000, r.status, r.code == null ? 0 : -1, "http");
    routes.logs().tell(new LogChannel.Publish(line.toLogLine(wall.instant())));
  }

  /** Requests this router holds right now: sent to dynos, waiting at the router or for a boot. */
  public int open() {
    return inFlight.size() + booting.size();
  }
}
