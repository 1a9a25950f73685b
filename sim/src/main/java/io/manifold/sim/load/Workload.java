package io.manifold.sim.load;

import io.manifold.sim.route.Request;

/**
 * A load generator: sends requests into a {@link LoadContext#sink()} between the context's
 * {@code from} and {@code until}, on the clock's thread. Open-loop generators send on their own
 * schedule whatever happens to earlier requests; closed-loop ones wait for answers.
 */
public interface Workload {

  /** Schedules the first request; called once, on the clock's thread. */
  void start(LoadContext ctx);

  /** One of its requests was answered. */
  default void answered(Request r) {}

  /** As a study file writes it, for reports. */
  String describe();
}
