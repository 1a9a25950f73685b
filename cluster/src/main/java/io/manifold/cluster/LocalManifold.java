package io.manifold.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.manifold.core.InputException;
import io.manifold.core.app.AppHandle;
import io.manifold.core.app.AppRegistry;
import io.manifold.core.app.Slug;
import io.manifold.core.dyno.ProcessRuntime;
import java.net.BindException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
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
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * A manifold of one node on this machine: the main job of {@code manifold up}, and what the
 * end-to-end tests start. It serves the router on one port and the Platform API on another;
 * {@link #close()} (or SIGTERM, or Ctrl-C) stops every dyno the Heroku way and leaves no process
 * behind.
 */
public final class LocalManifold implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final ActorSystem<Void> system;
  private final NodeGuardian.Started started;
  private final String domain;
  private final String token;
  private final String user;
  private final Duration stopTimeout;

  private LocalManifold(ActorSystem<Void> system, NodeGuardian.Started started, NodeSettings settings, Duration stopTimeout) {
    this.system = system;
    this.started = started;
    this.domain = settings.router().domain();
    this.token = settings.token();
    this.user = settings.manifold().getString("user");
    this.stopTimeout = stopTimeout;
  }

  /**
   * Starts the node and returns once its router and API serve.
   *
   * @param overrides config over Manifold's defaults ({@code manifold.router.port},
   *     {@code manifold.api.token}, ...); without a token, one is made
   * @throws InputException when a port is taken
   */
  public static LocalManifold start(Config overrides) {
    Config manifoldConfig = overrides
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(ConfigFactory.parseResources(LocalManifold.class.getClassLoader(), "manifold-node.conf"))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
    Config m = manifoldConfig.getConfig("manifold");
    String token = m.hasPath("api.token") ? m.getString("api.token") : newToken();
    NodeSettings settings = NodeSettings.fromConfig(m, token, "local");
    Duration stopTimeout = settings.dynos().stopGrace().plusSeconds(20);
    Config config = ConfigFactory.parseMap(Map.of(
            // the graceful stop of every dyno must fit in its phase of coordinated shutdown
            "pekko.coordinated-shutdown.phases.service-stop.timeout", stopTimeout.toMillis() + "ms"))
        .withFallback(manifoldConfig);
    ProcessRuntime runtime = new ProcessRuntime(m.getDuration("dyno.port-probe-interval"), stopTimeout.plusSeconds(5));
    CompletableFuture<NodeGuardian.Started> started = new CompletableFuture<>();
    ActorSystem<Void> system = ActorSystem.create(NodeGuardian.create(settings, runtime, started), "manifold", config);
    try {
      return new LocalManifold(system, started.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), settings, stopTimeout);
    } catch (ExecutionException e) {
      stop(system, stopTimeout);
      Throwable cause = e.getCause();
      if (cause instanceof BindException || String.valueOf(cause.getMessage()).contains("Address already in use")) {
        throw new InputException("--port " + settings.router().port() + " / --api-port " + m.getInt("api.port"),
            "a port is taken (" + cause.getMessage() + "); pick others, or 0 for any free one");
      }
      throw new IllegalStateException("the node could not start: " + cause.getMessage(), cause);
    } catch (InterruptedException | TimeoutException e) {
      stop(system, stopTimeout);
      throw new IllegalStateException("the node did not start within " + START_TIMEOUT.toSeconds() + " s", e);
    }
  }

  /** A random API token: 32 bytes from a secure generator, in hex. */
  public static String newToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * Creates an app from a directory with a Procfile, with its config vars, scaled to
   * {@code formation}.
   *
   * @throws InputException when the Procfile is bad or the app cannot be created (name taken, ...)
   */
  public AppHandle createApp(String name, Path dir, Map<String, String> config, Map<String, Integer> formation) {
    Slug slug = Slug.fromDirectory(dir, Instant.now());
    AppRegistry.Created created = AskPattern.<AppRegistry.Command, AppRegistry.Created>ask(started.registry(),
            r -> new AppRegistry.CreateApp(name, user, slug, config, formation, r), Duration.ofSeconds(10), system.scheduler())
        .toCompletableFuture().join();
    if (created.error() != null) {
      throw new InputException(name, created.message());
    }
    return created.handle();
  }

  /** An app by name, or null. */
  public AppHandle app(String name) {
    return AskPattern.<AppRegistry.Command, AppRegistry.Found>ask(started.registry(),
            r -> new AppRegistry.Find(name, r), Duration.ofSeconds(10), system.scheduler())
        .toCompletableFuture().join().handle();
  }

  /** The router's port on 127.0.0.1. */
  public int port() {
    return started.routerPort();
  }

  public int apiPort() {
    return started.apiPort();
  }

  public String apiUrl() {
    return "http://127.0.0.1:" + apiPort();
  }

  public String token() {
    return token;
  }

  /** An app's URL: {@code http://hello.localhost:5000/}. */
  public String appUrl(String app) {
    return "http://" + app + "." + domain + ":" + port() + "/";
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public ActorRef<AppRegistry.Command> registry() {
    return started.registry();
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
