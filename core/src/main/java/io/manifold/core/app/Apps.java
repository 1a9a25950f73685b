package io.manifold.core.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * A node's way to the manifold's apps: the registry (on this node, or a cluster singleton
 * elsewhere) says which exist, the {@link AppHost} where they are. Thread-safe; for the API and
 * the node's own code.
 */
public final class Apps {
  private final ActorSystem<?> system;
  private final RecipientRef<AppRegistry.Command> registry;
  private final AppHost host;
  private final Duration timeout;

  public Apps(ActorSystem<?> system, RecipientRef<AppRegistry.Command> registry, AppHost host, Duration timeout) {
    this.system = system;
    this.registry = registry;
    this.host = host;
    this.timeout = timeout;
  }

  public AppHandle handle(AppRegistry.Entry e) {
    return new AppHandle(e.name(), e.id(), host.app(e.name()), host.logs(e.name()));
  }

  /** The app by name or id; null when there is none. */
  public CompletionStage<AppHandle> find(String nameOrId) {
    return AskPattern.<AppRegistry.Command, AppRegistry.Found>ask(registry, r -> new AppRegistry.Find(nameOrId, r), timeout, system.scheduler())
        .thenApply(f -> f.app() == null ? null : handle(f.app()));
  }

  public CompletionStage<List<AppHandle>> list() {
    return AskPattern.<AppRegistry.Command, AppRegistry.Listed>ask(registry, AppRegistry.ListApps::new, timeout, system.scheduler())
        .thenApply(l -> l.apps().stream().map(this::handle).toList());
  }

  /** Creates an app; the answer's error is a Heroku error id (null when created). */
  public CompletionStage<AppRegistry.Created> create(
      String name, String user, Slug slug, Map<String, String> config, Map<String, Integer> formation) {
    return AskPattern.ask(registry, r -> new AppRegistry.CreateApp(name, user, slug, config, formation, r), timeout, system.scheduler());
  }

  public CompletionStage<App.Outcome> destroy(String name, String user) {
    return AskPattern.ask(registry, r -> new AppRegistry.DestroyApp(name, user, r), timeout, system.scheduler());
  }

  public RecipientRef<AppRegistry.Command> registry() {
    return registry;
  }
}
