package io.manifold.cluster;

import io.manifold.core.InputException;
import io.manifold.core.app.App;
import io.manifold.core.app.AppHandle;
import io.manifold.core.app.AppRegistry;
import io.manifold.core.app.AppView;
import io.manifold.core.app.Apps;
import io.manifold.core.app.Quantity;
import io.manifold.core.app.Slug;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * What {@code manifold up DIR} and {@code manifold node DIR} ask of the manifold for the app in
 * DIR, through any node: the app made if it does not exist yet; if it does, its code deployed
 * again only if the Procfile or the directory changed, the config vars that differ set, and the
 * formation scaled only when one is given. Each is a release or an event of its own, as on Heroku.
 */
final class AppUp {
  private static final Duration ASK = Duration.ofSeconds(30);

  private final Apps apps;
  private final ActorSystem<?> system;
  private final String user;

  AppUp(Apps apps, ActorSystem<?> system, String user) {
    this.apps = apps;
    this.system = system;
    this.user = user;
  }

  /** @see LocalManifold#createApp */
  AppHandle create(String name, Path dir, Map<String, String> config, Map<String, Integer> formation) {
    Slug slug = dir == null ? null : Slug.fromDirectory(dir, Instant.now());
    AppRegistry.Created created = apps.create(name, user, slug, config, formation).toCompletableFuture().join();
    if (created.error() != null) {
      throw new InputException(name, created.message());
    }
    return apps.handle(created.app());
  }

  /** @see LocalManifold#up */
  LocalManifold.Up up(String name, Path dir, Map<String, String> config, Map<String, Integer> formation, Map<String, Integer> newFormation) {
    AppHandle found = apps.find(name).toCompletableFuture().join();
    if (found == null) {
      try {
        return new LocalManifold.Up(create(name, dir, config, newFormation), false);
      } catch (InputException e) {
        // another node, started at the same moment with the same DIR, made it first
        found = apps.find(name).toCompletableFuture().join();
        if (found == null) {
          throw e;
        }
      }
    }
    Slug slug = Slug.fromDirectory(dir, Instant.now());
    AppView view = ask(found, App.GetView::new);
    Slug current = view.state().slug();
    if (current == null || !current.dir().equals(slug.dir()) || !current.processTypes().equals(slug.processTypes())) {
      expect(ask(found, r -> new App.Deploy(slug, user, r)));
    }
    Map<String, String> changed = new TreeMap<>();
    config.forEach((k, v) -> {
      if (!v.equals(view.state().config().get(k))) {
        changed.put(k, v);
      }
    });
    if (!changed.isEmpty()) {
      expect(ask(found, r -> new App.SetConfig(changed, user, r)));
    }
    if (formation != null && !formation.isEmpty()) {
      Map<String, Quantity> q = new LinkedHashMap<>();
      formation.forEach((type, n) -> q.put(type, Quantity.absolute(n)));
      expect(ask(found, r -> new App.Scale(q, Map.of(), user, r)));
    }
    return new LocalManifold.Up(found, true);
  }

  private <T> T ask(AppHandle app, Function<ActorRef<T>, App.Command> message) {
    return AskPattern.ask(app.app(), message::apply, ASK, system.scheduler()).toCompletableFuture().join();
  }

  private static void expect(App.Outcome outcome) {
    if (!outcome.accepted()) {
      throw new InputException(outcome.view() == null ? "app" : outcome.view().name(), outcome.message());
    }
  }
}
