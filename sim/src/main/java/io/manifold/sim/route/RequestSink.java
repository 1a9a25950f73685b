package io.manifold.sim.route;

/**
 * Where a load generator sends its requests: the simulated routers, or (for a scenario against a
 * live cluster) a client that turns each into an HTTP request. Called on the clock's thread.
 */
public interface RequestSink {
  void send(Request r);
}
