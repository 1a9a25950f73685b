package io.manifold.sim.runtime;

import io.manifold.core.dyno.DynoRuntime;
import io.manifold.core.dyno.DynoSpec;
import io.manifold.core.dyno.Endpoint;
import io.manifold.sim.random.RandomStreams;
import io.manifold.sim.time.SimClock;
import java.util.ArrayList;
import java.util.List;
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
  /** This node's dynos that have not exited; touched on the clock's thread. */
  private final List<SyntheticDyno> running = new ArrayList<>();
  private boolean poweredOff;

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
    clock.post(() -> {
      if (poweredOff) {
        return; // a dead node starts nothing; the Dyno actor on it is as dead as the node
      }
      SyntheticDyno dyno = new SyntheticDyno(clock, network, model, endpoint, streams.stream("dyno/" + spec.name() + "/" + n), output);
      running.add(dyno);
      dyno.exited().thenRun(() -> running.remove(dyno));
      started.complete(dyno);
    });
    return started;
  }

  /** The host its dynos' endpoints name: the node. */
  public String host() {
    return host;
  }

  /**
   * The node this runtime stands for goes down: its dynos die with every request they hold, and
   * none reports an exit; it launches nothing any more. Bounded by the dynos it runs.
   */
  public void powerOff() {
    clock.post(() -> {
      poweredOff = true;
      for (SyntheticDyno d : List.copyOf(running)) {
        d.powerOff();
      }
      running.clear();
    });
  }
}
