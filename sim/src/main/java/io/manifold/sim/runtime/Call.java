package io.manifold.sim.runtime;

import io.manifold.core.routing.HCode;

/**
 * A request as a synthetic dyno sees it: what it asks of the dyno, and where the dyno reports what
 * became of it. All methods are called on the simulation clock's thread.
 */
public interface Call {

  /** The service time the request brings (drawn by the load generator), or -1 to let the dyno draw. */
  long serviceDemand();

  /** True if the app is to answer it with a 500 (drawn by the load generator). */
  boolean fails();

  /** The dyno starts serving it (it leaves the dyno's queue) at {@code nanos}, for {@code service}. */
  void started(long nanos, long service);

  /** The dyno answers it with {@code status} at {@code nanos}. */
  void answered(int status, long nanos);

  /**
   * The dyno cannot answer it, for the router's reason {@code code}: H21 when the dyno does not
   * listen, H11 when its queue is full, H13 when it went away (killed, crashed) holding it.
   */
  void lost(HCode code, long nanos);
}
