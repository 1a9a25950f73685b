package io.manifold.sim.runtime;

import io.manifold.core.dyno.DynoRuntime;
import io.manifold.core.dyno.DynoSpec;
import io.manifold.core.dyno.Endpoint;
import io.manifold.sim.random.RandomStreams;
import io.manifold.sim.time.SimClock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link DynoRuntime} without processes: each launch starts a {@link SyntheticDyno} that
 * follows a {@link ServiceModel} and listens on a {@link SimNetwork}. The {@code Dyno} actor runs it
 * exactly as it runs a process (states, boot time-out, restarts, SIGTERM then SIGKILL, logs), so
 * the manifold under study is the live one with only the app replaced.
 *
 * <p>Each launch gets its own random stream, named after the dyno and the launch's number, so
 * that a dyno's draws do not depend on what other dynos draw.
 */
public final class SyntheticRuntime implements DynoRuntime {
  private final SimClock clock;
  private final SimNetwork network;
  private final ServiceModel model;
  private final RandomStreams streams;
  private final String host;
  private final AtomicInteger launches = new AtomicInteger();

  /** @param host the name endpoints are given, as a node's address (for example {@code sim}) */
  public SyntheticRuntime(SimClock clock, SimNetwork network, ServiceModel model, RandomStreams streams, String host) {
    this.clock = clock;
    this.network = network;
    this.model = model;
    this.streams = streams;
    this.host = host;
  }

  public ServiceModel model() {
    return model;
  }

  @Override
  public CompletionStage<Running> launch(DynoSpec spec, Output output) {
    int n = launches.incrementAndGet();
    // the port is the launch's number: unique on the simulated network, like a fresh $PORT
    Endpoint endpoint = new Endpoint(host, n);
    CompletableFuture<Running> started = new CompletableFuture<>();
    clock.post(() -> started.complete(new SyntheticDyno(clock, network, model, endpoint,
        streams.stream("dyno/" + spec.name() + "/" + n), output)));
    return started;
  }
}
