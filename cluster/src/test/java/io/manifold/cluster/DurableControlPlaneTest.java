package io.manifold.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.manifold.core.InputException;
import io.manifold.core.app.App;
import io.manifold.core.app.AppHandle;
import io.manifold.core.app.AppState;
import io.manifold.core.app.AppView;
import io.manifold.core.app.Quantity;
import io.manifold.core.app.Release;
import io.manifold.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane survives a restart: apps, formations, config vars and releases come back from
 * the database (the embedded H2 file by default, PostgreSQL when {@code MANIFOLD_PG_URL} is set),
 * and the dynos with them.
 */
class DurableControlPlaneTest {
  @TempDir
  Path dir;

  static Config config(Path data) {
    return config(data, "");
  }

  /** @param database empty for the H2 file in {@code data}, or a PostgreSQL URL */
  static Config config(Path data, String database) {
    return ConfigFactory.parseMap(Map.of(
        "manifold.data-dir", data.toString(),
        "manifold.db.url", database,
        "manifold.router.port", 0, "manifold.api.port", 0, "manifold.api.token", "durable-token",
        "manifold.user", "durable@manifold.test", "manifold.dyno.stop-grace", "3s"));
  }

  static <T> T ask(LocalManifold m, org.apache.pekko.actor.typed.RecipientRef<App.Command> app, Function<ActorRef<T>, App.Command> message) {
    return AskPattern.ask(app, message::apply, Duration.ofSeconds(30), m.system().scheduler()).toCompletableFuture().join();
  }

  static AppView awaitView(LocalManifold m, AppHandle h, Predicate<AppView> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    AppView v = null;
    while (System.nanoTime() < deadline) {
      v = ask(m, h.app(), App.GetView::new);
      if (condition.test(v)) {
        return v;
      }
      Processes.sleep(50);
    }
    throw new AssertionError("never got there: " + v);
  }

  static long dynosUp(AppView v) {
    return v.dynos().stream().filter(d -> d.status().state().word().equals("up")).count();
  }

  @Test
  void scaleConfigAndRollbackSurviveARestartAndTheDynosComeBack() throws Exception {
    restartScenario(dir, "");
  }

  /** Scale, config, rollback, maintenance, a drain; stop; start again on the same database. */
  static void restartScenario(Path dir, String database) throws Exception {
    Path code = Files.createDirectories(dir.resolve("shop"));
    Files.writeString(code.resolve("Procfile"), "worker: echo \"greeting=$GREETING\"; exec sleep 960\nclock: exec sleep 961\n");
    Path data = dir.resolve("data");
    AppState before;
    try (LocalManifold m = LocalManifold.start(config(data, database))) {
      AppHandle h = m.createApp("shop", code, Map.of("GREETING", "hi"), Map.of("worker", 1));
      assertTrue(ask(m, h.app(), (ActorRef<App.Outcome> r) -> new App.Scale(Map.of("worker", Quantity.absolute(2), "clock", Quantity.absolute(1)),
          Map.of("clock", "Standard-2X"), "durable@manifold.test", r)).accepted());
      assertTrue(ask(m, h.app(), (ActorRef<App.Outcome> r) -> new App.SetConfig(Map.of("GREETING", "v3"), "durable@manifold.test", r)).accepted());
      assertTrue(ask(m, h.app(), (ActorRef<App.Outcome> r) -> new App.SetConfig(Map.of("GREETING", "v4"), "durable@manifold.test", r)).accepted());
      assertTrue(ask(m, h.app(), (ActorRef<App.Outcome> r) -> new App.Rollback(3, "durable@manifold.test", r)).accepted());
      assertTrue(ask(m, h.app(), (ActorRef<App.Outcome> r) -> new App.SetMaintenance(true, "durable@manifold.test", r)).accepted());
      assertTrue(ask(m, h.app(), (ActorRef<App.Outcome> r) -> new App.AddDrain("https://127.0.0.1:9/drain", "durable@manifold.test", r)).accepted());
      m.createApp("second", code, Map.of(), Map.of());
      before = awaitView(m, h, v -> dynosUp(v) == 3).state();
      assertTrue(database.isEmpty() ? m.database().startsWith("H2 file " + data) : m.database().startsWith("PostgreSQL at "), m.database());
    }
    assertTrue(Processes.awaitNoDescendants(Duration.ofSeconds(10)).isEmpty(), "the dynos stopped with the manifold");

    try (LocalManifold m = LocalManifold.start(config(data, database))) {
      AppHandle h = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (h == null && System.nanoTime() < deadline) {
        h = m.app("shop");
        Processes.sleep(50);
      }
      assertTrue(h != null, "the app is found after the restart");
      AppView after = awaitView(m, h, v -> dynosUp(v) == 3);
      assertEquals(before, after.state(), "formation, config, releases and maintenance are as they were");
      assertEquals(List.of(1, 2, 3, 4, 5), after.state().releases().stream().map(Release::version).toList());
      assertEquals("Rollback to v3", after.state().current().description());
      assertEquals(Map.of("GREETING", "v3"), after.state().config());
      assertEquals("https://127.0.0.1:9/drain", after.state().drains().get(0).url(), "drains are kept with the app");
      assertTrue(m.app("second") != null);

      // rolling back to any earlier release still works
      App.Outcome back = ask(m, h.app(), (ActorRef<App.Outcome> r) -> new App.Rollback(1, "durable@manifold.test", r));
      assertTrue(back.accepted(), back.message());
      assertEquals(Map.of("GREETING", "hi"), back.view().state().config());
    }
  }

  @Test
  void aDatabaseWrittenByANewerManifoldIsRefused() throws Exception {
    Path data = dir.resolve("data");
    try (LocalManifold first = LocalManifold.start(config(data))) {
      assertTrue(first.database().contains("manifold.mv.db"));
    }
    String url = "jdbc:h2:file:" + data.resolve("manifold") + ";DATABASE_TO_UPPER=false";
    try (var c = java.sql.DriverManager.getConnection(url, "sa", ""); var s = c.createStatement()) {
      s.execute("INSERT INTO manifold_meta (schema_version) VALUES (" + (Database.SCHEMA_VERSION + 1) + ")");
    }
    InputException e = assertThrows(InputException.class, () -> LocalManifold.start(config(data)));
    assertTrue(e.getMessage().contains("written by a newer Manifold"), e.getMessage());
  }

  @Test
  void anUnreachablePostgresIsAClearError() throws Exception {
    int closed;
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Config c = ConfigFactory.parseMap(Map.of("manifold.db.url", "postgres://manifold:secret@127.0.0.1:" + closed + "/manifold"))
        .withFallback(config(dir.resolve("data")));
    InputException e = assertThrows(InputException.class, () -> LocalManifold.start(c));
    assertTrue(e.getMessage().startsWith("PostgreSQL at 127.0.0.1:" + closed + "/manifold: cannot reach PostgreSQL"), e.getMessage());
    InputException bad = assertThrows(InputException.class,
        () -> LocalManifold.start(ConfigFactory.parseMap(Map.of("manifold.db.url", "mysql://x")).withFallback(config(dir.resolve("data")))));
    assertTrue(bad.getMessage().contains("expected postgres://"), bad.getMessage());
  }
}
