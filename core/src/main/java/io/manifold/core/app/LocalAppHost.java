package io.manifold.core.app;

import io.manifold.core.logs.DrainTransport;
import io.manifold.core.logs.LogChannel;
import io.manifold.core.logs.LogSettings;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.RecipientRef;

/**
 * Apps and log channels as actors of one actor system, made on first use (an app then recovers
 * its events). For a manifold without a cluster, and for tests of the registry.
 */
public final class LocalAppHost implements AppHost {
  private record Pair(ActorRef<App.Command> app, ActorRef<LogChannel.Command> logs) {}

  private final ActorSystem<?> system;
  private final AppRegistry.AppWiringFactory wiring;
  private final LogSettings logSettings;
  private final DrainTransport drains;
  private final Map<String, Pair> apps = new ConcurrentHashMap<>();
  private final AtomicLong made = new AtomicLong();

  public LocalAppHost(ActorSystem<?> system, AppRegistry.AppWiringFactory wiring, LogSettings logSettings, DrainTransport drains) {
    this.system = system;
    this.wiring = wiring;
    this.logSettings = logSettings;
    this.drains = drains;
  }

  private Pair pair(String name) {
    return apps.computeIfAbsent(name, n -> {
      long i = made.incrementAndGet();
      ActorRef<LogChannel.Command> logs = system.systemActorOf(
          LogChannel.create(n, logSettings, drains, wiring.observers().logs().apply(n)), "logs-" + n + "-" + i, Props.empty());
      ActorRef<App.Command> app = system.systemActorOf(App.create(n, wiring.wiringFor(logs)), "app-" + n + "-" + i, Props.empty());
      return new Pair(app, logs);
    });
  }

  @Override
  public RecipientRef<App.Command> app(String name) {
    return pair(name).app();
  }

  @Override
  public RecipientRef<LogChannel.Command> logs(String name) {
    return pair(name).logs();
  }

  @Override
  public void forget(String name) {
    Pair p = apps.remove(name);
    if (p != null) {
      system.classicSystem().stop(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(p.logs()));
      wiring.observers().appGone().accept(name);
    }
  }
}
