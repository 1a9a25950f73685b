package io.manifold.sim.runtime;

import io.manifold.core.dyno.Endpoint;
import java.util.HashMap;
import java.util.Map;

/**
 * Which synthetic dyno listens at which endpoint: the simulated counterpart of the TCP connection
 * the live router opens to a dyno's {@code $PORT}. Touched only on the simulation clock's thread.
 * Bounded by the dynos that are up: each unbinds when it stops.
 */
public final class SimNetwork {
  private final Map<Endpoint, SyntheticDyno> listening = new HashMap<>();

  /** The dyno at {@code endpoint}, or null: the live router's "connection refused" (H21). */
  public SyntheticDyno connect(Endpoint endpoint) {
    return listening.get(endpoint);
  }

  void bind(Endpoint endpoint, SyntheticDyno dyno) {
    listening.put(endpoint, dyno);
  }

  void unbind(Endpoint endpoint, SyntheticDyno dyno) {
    listening.remove(endpoint, dyno);
  }

  public int size() {
    return listening.size();
  }
}
