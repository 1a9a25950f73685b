package io.manifold.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.manifold.core.InputException;
import io.manifold.core.app.App;
import io.manifold.core.app.AppHandle;
import io.manifold.core.app.AppView;
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
  private final Database database;

  private LocalManifold(
      ActorSystem<Void> system, NodeGuardian.Started started, NodeSettings settings, Duration stopTimeout, Database database) {
    this.database = database;
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
    Config m = withDataDir(manifoldConfig).getConfig("manifold");
    Database database = Database.fromConfig(m);
    database.check();
    manifoldConfig = database.pekkoConfig().withFallback(manifoldConfig);
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
      return new LocalManifold(system, started.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), settings, stopTimeout, database);
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

  /** {@code manifold.data-dir}, or $XDG_DATA_HOME/manifold, or ~/.local/share/manifold. */
  static Config withDataDir(Config config) {
    if (!config.getString("manifold.data-dir").isBlank()) {
      return config;
    }
    String xdg = System.getenv("XDG_DATA_HOME");
    Path dir = xdg != null && !xdg.isBlank() ? Path.of(xdg, "manifold") : Path.of(System.getProperty("user.home"), ".local", "share", "manifold");
    return ConfigFactory.parseMap(Map.of("manifold.data-dir", dir.toString())).withFallback(config);
  }

  /** Where this manifold keeps its state, in words. */
  public String database() {
    return database.description();
  }

  /** A random API token: 32 bytes from a secure generator, in hex. */
  public static String newToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * Creates an app from a directory with a Procfile (none: a blank app), with its config vars, scaled to
   * {@code formation}.
   *
   * @throws InputException when the Procfile is bad or the app cannot be created (name taken, ...)
   */
  public AppHandle createApp(String name, Path dir, Map<String, String> config, Map<String, Integer> formation) {
    Slug slug = dir == null ? null : Slug.fromDirectory(dir, Instant.now());
    AppRegistry.Created created = AskPattern.<AppRegistry.Command, AppRegistry.Created>ask(started.registry(),
            r -> new AppRegistry.CreateApp(name, user, slug, config, formation, r), Duration.ofSeconds(10), system.scheduler())
        .toCompletableFuture().join();
    if (created.error() != null) {
      throw new InputException(name, created.message());
    }
    return created.handle();
  }

  /**
   * What {@code manifold up DIR} asks for: the app made if it does not exist yet; if it does (a
   * restarted manifold found it), its code deployed again only if the Procfile or the directory
   * changed, the config vars of {@code config} that differ set, and the formation scaled only when
   * one is given. Each of these is a release or an event of its own, as on Heroku.
   *
   * @param formation null to keep a found app's formation
   * @param newFormation the formation of an app made now
   * @return the app, and whether it was found rather than made
   */
  public Up up(String name, Path dir, Map<String, String> config, Map<String, Integer> formation, Map<String, Integer> newFormation) {
    AppHandle found = app(name);
    if (found == null) {
      return new Up(createApp(name, dir, config, newFormation), false);
    }
    Slug slug = Slug.fromDirectory(dir, Instant.now());
    AppView view = ask(found.app(), App.GetView::new);
    Slug current = view.state().slug();
    if (current == null || !current.dir().equals(slug.dir()) || !current.processTypes().equals(slug.processTypes())) {
      expect(ask(found.app(), r -> new App.Deploy(slug, user, r)));
    }
    Map<String, String> changed = new java.util.TreeMap<>();
    config.forEach((k, v) -> {
      if (!v.equals(view.state().config().get(k))) {
        changed.put(k, v);
      }
    });
    if (!changed.isEmpty()) {
      expect(ask(found.app(), r -> new App.SetConfig(changed, user, r)));
    }
    if (formation != null && !formation.isEmpty()) {
      Map<String, io.manifold.core.app.Quantity> q = new java.util.LinkedHashMap<>();
      formation.forEach((type, n) -> q.put(type, io.manifold.core.app.Quantity.absolute(n)));
      expect(ask(found.app(), r -> new App.Scale(q, Map.of(), user, r)));
    }
    return new Up(found, true);
  }

  /** An app {@link #up} made or found. */
  public record Up(AppHandle app, boolean found) {}

  private <T> T ask(ActorRef<App.Command> app, java.util.function.Function<ActorRef<T>, App.Command> message) {
    return AskPattern.ask(app, message::apply, Duration.ofSeconds(30), system.scheduler()).toCompletableFuture().join();
  }

  private static void expect(App.Outcome outcome) {
    if (!outcome.accepted()) {
      throw new InputException(outcome.view() == null ? "app" : outcome.view().name(), outcome.message());
    }
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
