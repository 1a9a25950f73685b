package io.manifold.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.manifold.core.InputException;
import io.manifold.core.app.App;
import io.manifold.core.app.AppSpec;
import io.manifold.core.dyno.DynoSettings;
import io.manifold.core.dyno.ProcessRuntime;
import io.manifold.core.logs.LogChannel;
import io.manifold.core.logs.LogSettings;
import io.manifold.http.RouterSettings;
import java.net.BindException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * A manifold of one node on this machine, running one app from its directory: the main job of
 * {@code manifold up}, and what the end-to-end tests start. {@link #close()} (or SIGTERM, or
 * Ctrl-C) stops every dyno the Heroku way and leaves no process behind.
 */
public final class LocalManifold implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final ActorSystem<Void> system;
  private final String app;
  private final int port;
  private final String domain;
  private final ActorRef<App.Command> appRef;
  private final ActorRef<LogChannel.Command> logs;
  private final Duration stopTimeout;

  private LocalManifold(ActorSystem<Void> system, String app, NodeGuardian.Started started, String domain, Duration stopTimeout) {
    this.system = system;
    this.app = app;
    this.port = started.port();
    this.domain = domain;
    this.appRef = started.app();
    this.logs = started.logs();
    this.stopTimeout = stopTimeout;
  }

  /**
   * Starts the node and returns once its router serves.
   *
   * @param overrides config over Manifold's defaults ({@code manifold.router.port}, ...)
   * @throws InputException when the router's port is taken
   */
  public static LocalManifold start(AppSpec spec, Config overrides) {
    Config manifoldConfig = overrides
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(ConfigFactory.parseResources(LocalManifold.class.getClassLoader(), "manifold-node.conf"))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
    Config m = manifoldConfig.getConfig("manifold");
    DynoSettings dynoSettings = DynoSettings.fromConfig(m);
    RouterSettings routerSettings = RouterSettings.fromConfig(m);
    Duration stopTimeout = dynoSettings.stopGrace().plusSeconds(20);
    Config config = ConfigFactory.parseMap(Map.of(
            // the graceful stop of every dyno must fit in its phase of coordinated shutdown
            "pekko.coordinated-shutdown.phases.service-stop.timeout", stopTimeout.toMillis() + "ms"))
        .withFallback(manifoldConfig);
    ProcessRuntime runtime = new ProcessRuntime(
        m.getDuration("dyno.port-probe-interval"), stopTimeout.plusSeconds(5));
    CompletableFuture<NodeGuardian.Started> started = new CompletableFuture<>();
    ActorSystem<Void> system = ActorSystem.create(
        NodeGuardian.create(spec, dynoSettings, LogSettings.fromConfig(m), routerSettings, runtime, started),
        "manifold", config);
    try {
      return new LocalManifold(system, spec.name(), started.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
          routerSettings.domain(), stopTimeout);
    } catch (ExecutionException e) {
      stop(system, stopTimeout);
      Throwable cause = e.getCause();
      if (cause instanceof BindException || String.valueOf(cause.getMessage()).contains("Address already in use")) {
        throw new InputException("--port " + routerSettings.port(),
            "the port is taken; pick another with --port, or --port 0 for any free one");
      }
      throw new IllegalStateException("the router could not start: " + cause.getMessage(), cause);
    } catch (InterruptedException | TimeoutException e) {
      stop(system, stopTimeout);
      throw new IllegalStateException("the node did not start within " + START_TIMEOUT.toSeconds() + " s", e);
    }
  }

  public String app() {
    return app;
  }

  /** The router's port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** The app's URL: {@code http://hello.localhost:5000/}. */
  public String appUrl() {
    return "http://" + app + "." + domain + ":" + port + "/";
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public ActorRef<App.Command> appRef() {
    return appRef;
  }

  public ActorRef<LogChannel.Command> logs() {
    return logs;
  }

  /** Completes once the node has stopped, however it was asked to. */
  public CompletionStage<Done> whenTerminated() {
    return system.getWhenTerminated();
  }

  /** Stops every dyno gracefully (SIGTERM, grace, SIGKILL), then the node; returns when done. */
  @Override
  public void close() {
    stop(system, stopTimeout);
  }

  private static void stop(ActorSystem<Void> system, Duration stopTimeout) {
    CoordinatedShutdown.get(system).run(CoordinatedShutdown.unknownReason());
    try {
      system.getWhenTerminated().toCompletableFuture().get(stopTimeout.toMillis() + 10_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // bounded: whatever is still running was killed by the runtime's shutdown task
    }
  }
}
