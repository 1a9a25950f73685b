package io.manifold.sim.route;

import io.manifold.core.dyno.DynoName;
import io.manifold.core.routing.HCode;
import io.manifold.core.routing.Route;
import io.manifold.sim.runtime.Call;

/**
 * One simulated request on its way through a router to a dyno and back: what the load generator
 * drew for it, and the moments it passed (all in nanoseconds on the simulation clock). The router
 * front answers it exactly once; a dyno may still be serving it after that (after an H12), as on
 * Heroku.
 */
public final class Request implements Call {
  final long id;
  final long arrival;
  final long service;
  final boolean fails;
  /** The closed-loop user who sent it, or -1. */
  final int user;

  int routerNode = -1;
  DynoName dyno;
  long atDyno = -1;
  long started = -1;
  long served = -1;
  long answeredAt = -1;
  int status;
  HCode code;

  Route route;
  SimRouterFront front;
  /** When the router gives up on it (H12, H20). */
  long deadline;

  /**
   * @param arrival when it reaches the router
   * @param service its service time, or -1 to let the dyno draw one
   * @param fails whether the app answers it with a 500
   */
  public Request(long id, long arrival, long service, boolean fails, int user) {
    this.id = id;
    this.arrival = arrival;
    this.service = service;
    this.fails = fails;
    this.user = user;
  }

  public long id() {
    return id;
  }

  public long arrival() {
    return arrival;
  }

  public int user() {
    return user;
  }

  public boolean isAnswered() {
    return answeredAt >= 0;
  }

  public long answeredAt() {
    return answeredAt;
  }

  /** From arrival at the router to the answer. */
  public long responseNanos() {
    return answeredAt - arrival;
  }

  /**
   * Time spent waiting before a dyno started on it: at the router (router queue, boot queue) and
   * in the dyno's queue. For a request never started, until it was answered.
   */
  public long queueNanos() {
    return (started >= 0 && (answeredAt < 0 || started <= answeredAt) ? started : answeredAt) - arrival;
  }

  /** Its service time as served, or -1 when no dyno started it. */
  public long serviceNanos() {
    return served;
  }

  public int status() {
    return status;
  }

  /** The router's error code, or null when a dyno answered. */
  public HCode code() {
    return code;
  }

  public int routerNode() {
    return routerNode;
  }

  /** The dyno it was sent to, or null. */
  public DynoName dyno() {
    return dyno;
  }

  // --- as the dyno sees it ---

  @Override
  public long serviceDemand() {
    return service;
  }

  @Override
  public boolean fails() {
    return fails;
  }

  @Override
  public void started(long nanos, long service) {
    started = nanos;
    served = service;
  }

  @Override
  public void answered(int httpStatus, long nanos) {
    front.served(this, httpStatus);
  }

  @Override
  public void lost(HCode reason, long nanos) {
    front.lost(this, reason);
  }
}
