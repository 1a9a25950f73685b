package io.manifold.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.manifold.core.app.App;
import io.manifold.core.app.AppView;
import io.manifold.core.app.AppWiring;
import io.manifold.core.dyno.DynoSettings;
import io.manifold.core.dyno.ProcessRuntime;
import io.manifold.core.routing.Router;
import io.manifold.core.routing.RoutingTable;
import io.manifold.core.routing.RoundRobinPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The control plane's figures: acknowledged commands per second (each one stored before it is
 * answered), and the recovery of an app with 10,000 events from a snapshot and by full replay. On
 * the H2 file, and on PostgreSQL when {@code MANIFOLD_PG_URL} names a database. Run with
 * {@code bench/persistence.sh}; prints {@code [RESULT]} lines.
 */
@Tag("bench")
class PersistenceBenchmark {
  static final int COMMANDS = 3_000;
  static final int EVENTS = 10_000;

  record Node(ActorSystem<Void> system, ActorRef<App.Command> app) {}

  /** A bare actor system with the database's journal, and one app (its dynos: none). */
  static Node node(Database db, String app) {
    Config config = db.pekkoConfig().withFallback(ConfigFactory.load());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench", config);
    ProcessRuntime runtime = new ProcessRuntime();
    ActorRef<Router.Command> router = system.systemActorOf(Router.create(new RoutingTable(), a -> new RoundRobinPolicy()), "router",
        org.apache.pekko.actor.typed.Props.empty());
    ActorRef<App.Command> ref = system.systemActorOf(App.create(app, new AppWiring(runtime,
        DynoSettings.fromConfig(config.getConfig("manifold")), system.ignoreRef(), router, "bench")), "app-" + app,
        org.apache.pekko.actor.typed.Props.empty());
    return new Node(system, ref);
  }

  static App.Outcome ask(Node n, java.util.function.Function<ActorRef<App.Outcome>, App.Command> m) {
    return AskPattern.ask(n.app(), m::apply, Duration.ofSeconds(30), n.system().scheduler()).toCompletableFuture().join();
  }

  static void stop(Node n) {
    n.system().terminate();
    n.system().getWhenTerminated().toCompletableFuture().join();
  }

  static void run(String label, Database db) throws Exception {
    db.check();
    Node n = node(db, "bench");
    ask(n, r -> new App.Create("bench-id", "bench", "bench@manifold", Map.of(), null, Map.of(), r));
    for (int i = 0; i < 500; i++) { // warm the JIT and the pool
      int k = i;
      ask(n, r -> new App.SetConfig(Map.of("W", Integer.toString(k)), "bench@manifold", r));
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < COMMANDS; i++) {
      int k = i;
      ask(n, r -> new App.SetConfig(Map.of("K", Integer.toString(k)), "bench@manifold", r));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("[RESULT] %s: %d acknowledged commands, one after another: %.0f per second (%.2f ms each)%n",
        label, COMMANDS, COMMANDS / seconds, seconds * 1000 / COMMANDS);
    for (int i = COMMANDS + 500 + 2; i < EVENTS; i++) {
      int k = i;
      ask(n, r -> new App.SetConfig(Map.of("K", Integer.toString(k)), "bench@manifold", r));
    }
    stop(n);

    List<Long> fromSnapshot = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      fromSnapshot.add(recover(db));
    }
    deleteSnapshots(db);
    List<Long> fullReplay = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      fullReplay.add(recover(db));
    }
    System.out.printf("[RESULT] %s: recovery of an app with %d events: from a snapshot %s ms, by full replay %s ms (3 rounds, new actor system each)%n",
        label, EVENTS, fromSnapshot, fullReplay);
  }

  /** Spawn to the first answer, in a new actor system (after its start, which is not counted). */
  static long recover(Database db) {
    Node n = node(db, "warmup");
    // the journal's pool and queries, warmed on another app
    AskPattern.<App.Command, AppView>ask(n.app(), App.GetView::new, Duration.ofSeconds(60), n.system().scheduler()).toCompletableFuture().join();
    long t0 = System.nanoTime();
    ActorRef<App.Command> app = n.system().systemActorOf(App.create("bench", new AppWiring(new ProcessRuntime(),
        DynoSettings.fromConfig(ConfigFactory.load().getConfig("manifold")), n.system().ignoreRef(), n.system().ignoreRef(), "bench")),
        "recover", org.apache.pekko.actor.typed.Props.empty());
    AppView v = AskPattern.<App.Command, AppView>ask(app, App.GetView::new, Duration.ofSeconds(60), n.system().scheduler())
        .toCompletableFuture().join();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    if (v.state().releases().isEmpty()) {
      throw new IllegalStateException("the app did not recover");
    }
    stop(n);
    return ms;
  }

  static void deleteSnapshots(Database db) throws Exception {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password()); Statement s = c.createStatement()) {
      s.execute(db.kind() == Database.Kind.H2 ? "DELETE FROM \"snapshot\"" : "DELETE FROM snapshot");
    }
  }

  @Test
  void h2File() throws Exception {
    Path dir = Files.createTempDirectory("manifold-bench");
    run("H2 file", Database.fromConfig(ConfigFactory.parseMap(Map.of("data-dir", dir.toString(), "db.url", "", "db.user", "", "db.password", ""))));
  }

  @Test
  void postgres() throws Exception {
    String url = System.getenv("MANIFOLD_PG_URL");
    if (url == null) {
      System.out.println("[RESULT] PostgreSQL: skipped (MANIFOLD_PG_URL is not set; bench/persistence.sh starts one when it can)");
      return;
    }
    run("PostgreSQL", Database.fromConfig(ConfigFactory.parseMap(Map.of("data-dir", "/tmp", "db.url", url, "db.user", "", "db.password", ""))));
  }
}
