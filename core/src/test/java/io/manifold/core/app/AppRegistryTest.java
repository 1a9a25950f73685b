package io.manifold.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.core.dyno.DynoSettings;
import io.manifold.core.dyno.ProcessRuntime;
import io.manifold.core.dyno.RestartBackoff;
import io.manifold.core.logs.DrainTransport;
import io.manifold.core.logs.LogChannel;
import io.manifold.core.logs.LogFilter;
import io.manifold.core.logs.LogSettings;
import io.manifold.core.routing.Router;
import io.manifold.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The registry; each test has an actor system (and so an in-memory journal) of its own. */
@ExtendWith(LogCapturingExtension.class)
class AppRegistryTest {
  static final ProcessRuntime runtime = new ProcessRuntime(Duration.ofMillis(50), Duration.ofSeconds(5));
  static final DynoSettings settings = new DynoSettings(Duration.ofSeconds(60), Duration.ofSeconds(3), RestartBackoff.HEROKU, Clock.systemUTC());
  static ActorTestKit kit;

  @org.junit.jupiter.api.BeforeEach
  void startKit() {
    kit = ActorTestKit.create();
    router = kit.createTestProbe();
  }

  @org.junit.jupiter.api.AfterEach
  void stopKit() {
    kit.shutdownTestKit();
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  private TestProbe<Router.Command> router;

  private static LocalAppHost host;

  private ActorRef<AppRegistry.Command> registry(int max) {
    host = new LocalAppHost(kit.system(), AppRegistry.AppWiringFactory.of(runtime, settings, router.getRef(), "local"),
        LogSettings.HEROKU, DrainTransport.NONE);
    return kit.spawn(AppRegistry.create(host, max, Duration.ofSeconds(1)));
  }

  record Created(String error, String message, AppHandle handle) {}

  private static Created create(ActorRef<AppRegistry.Command> registry, String name, Slug slug, Map<String, Integer> formation) {
    TestProbe<AppRegistry.Created> reply = kit.createTestProbe();
    registry.tell(new AppRegistry.CreateApp(name, "me@example.com", slug, Map.of("A", "1"), formation, reply.getRef()));
    AppRegistry.Created c = reply.receiveMessage(Duration.ofSeconds(30));
    return new Created(c.error(), c.message(), c.app() == null ? null : new Apps(kit.system(), registry, host, Duration.ofSeconds(10)).handle(c.app()));
  }

  private static AppHandle find(ActorRef<AppRegistry.Command> registry, String nameOrId) {
    TestProbe<AppRegistry.Found> reply = kit.createTestProbe();
    registry.tell(new AppRegistry.Find(nameOrId, reply.getRef()));
    AppRegistry.Entry e = reply.receiveMessage().app();
    return e == null ? null : new Apps(kit.system(), registry, host, Duration.ofSeconds(10)).handle(e);
  }

  @Test
  void createsAnAppWithItsLogChannelFindsItByNameOrIdAndListsIt(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("Procfile"), "worker: exec sleep 990\n");
    ActorRef<AppRegistry.Command> registry = registry(10);
    Created created = create(registry, "shop", Slug.fromDirectory(dir, Instant.now()), Map.of("worker", 1));
    assertNull(created.error(), created.message());
    AppHandle h = created.handle();
    assertEquals("shop", h.name());
    assertEquals(h, find(registry, "shop"));
    assertEquals(h, find(registry, h.id()));
    assertNull(find(registry, "nope"));

    TestProbe<AppRegistry.Listed> listed = kit.createTestProbe();
    registry.tell(new AppRegistry.ListApps(listed.getRef()));
    assertEquals(1, listed.receiveMessage().apps().size());

    // the creation is in the app's log, before the deploy and the scale
    long deadline = System.nanoTime() + 10_000_000_000L;
    java.util.List<String> lines = java.util.List.of();
    while (System.nanoTime() < deadline && lines.stream().noneMatch(l -> l.startsWith("Scale to worker=1"))) {
      TestProbe<LogChannel.Lines> log = kit.createTestProbe();
      h.logs().tell(new LogChannel.Fetch(new LogFilter("app", "api"), 100, log.getRef()));
      lines = log.receiveMessage().lines().stream().map(l -> l.message()).toList();
      Processes.sleep(20);
    }
    assertEquals("Initial release by user me@example.com", lines.get(0));
    assertEquals("Release v1 created by user me@example.com", lines.get(1));
    assertTrue(lines.get(2).startsWith("Deploy "), lines.toString());
    assertEquals("Release v2 created by user me@example.com", lines.get(3));
    assertEquals("Scale to worker=1 by user me@example.com", lines.get(4));
  }

  @Test
  void badOrTakenNamesAndTooManyAppsAreRefused() {
    ActorRef<AppRegistry.Command> registry = registry(2);
    assertEquals("invalid_params", create(registry, "Bad_Name", null, Map.of()).error());
    assertEquals("invalid_params", create(registry, "ab", null, Map.of()).error());
    assertNull(create(registry, "first", null, Map.of()).error());
    Created taken = create(registry, "first", null, Map.of());
    assertEquals("conflict", taken.error());
    assertEquals("Name first is already taken", taken.message());
    Created generated = create(registry, null, null, Map.of());
    assertNull(generated.error());
    assertTrue(AppNames.VALID.matcher(generated.handle().name()).matches(), generated.handle().name());
    Created third = create(registry, "third", null, Map.of());
    assertEquals("invalid_params", third.error());
    assertTrue(third.message().contains("manifold.apps.max"), third.message());
  }

  @Test
  void aDestroyedAppIsForgottenAndItsNameFreeAgain() {
    ActorRef<AppRegistry.Command> registry = registry(5);
    AppHandle h = create(registry, "shortlived", null, Map.of()).handle();
    TestProbe<App.Outcome> done = kit.createTestProbe();
    registry.tell(new AppRegistry.DestroyApp("shortlived", "me@example.com", done.getRef()));
    assertTrue(done.receiveMessage(Duration.ofSeconds(20)).accepted());
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (find(registry, "shortlived") != null && System.nanoTime() < deadline) {
      Processes.sleep(20);
    }
    assertNull(find(registry, "shortlived"));
    TestProbe<LogChannel.Lines> probe = kit.createTestProbe();
    h.logs().tell(new LogChannel.Fetch(LogFilter.ALL, 1, probe.getRef()));
    probe.expectNoMessage(Duration.ofMillis(200)); // the channel is gone with the app
    assertNotNull(create(registry, "shortlived", null, Map.of()).handle());
  }

  @Test
  void aRestartedRegistryStartsItsAppsAgainWithTheirState(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("Procfile"), "worker: exec sleep 992\n");
    ActorRef<AppRegistry.Command> registry = registry(5);
    AppHandle first = create(registry, "kept", Slug.fromDirectory(dir, Instant.now()), Map.of("worker", 1)).handle();
    TestProbe<App.Outcome> scaled = kit.createTestProbe();
    first.app().tell(new App.Scale(Map.of("worker", Quantity.absolute(2)), Map.of(), "me@example.com", scaled.getRef()));
    assertTrue(scaled.receiveMessage().accepted());
    TestProbe<AppRegistry.ShutDown> down = kit.createTestProbe();
    registry.tell(new AppRegistry.ShutdownAll(down.getRef()));
    down.receiveMessage(Duration.ofSeconds(20));
    kit.stop(registry);
    // a new node: a new registry and host on the same journal (the old app actors are stopped)
    ActorRef<AppRegistry.Command> again = registry(5);
    AppHandle found = null;
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (found == null && System.nanoTime() < deadline) {
      found = find(again, "kept");
      Processes.sleep(20);
    }
    assertNotNull(found, "the app is found again");
    assertEquals(first.id(), found.id());
    TestProbe<AppView> view = kit.createTestProbe();
    found.app().tell(new App.GetView(view.getRef()));
    assertEquals(2, view.receiveMessage().state().quantity("worker"));
    deadline = System.nanoTime() + 10_000_000_000L;
    while (Processes.descendants().stream().filter(p -> p.contains("sleep 992")).count() < 2 && System.nanoTime() < deadline) {
      Processes.sleep(20);
    }
    assertEquals(2, Processes.descendants().stream().filter(p -> p.contains("sleep 992")).count(), "its dynos are back");
    TestProbe<AppRegistry.ShutDown> done = kit.createTestProbe();
    again.tell(new AppRegistry.ShutdownAll(done.getRef()));
    done.receiveMessage(Duration.ofSeconds(20));
  }

  @Test
  void shutdownAllStopsEveryAppsDynos(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("Procfile"), "worker: exec sleep 991\n");
    ActorRef<AppRegistry.Command> registry = registry(5);
    create(registry, "one", Slug.fromDirectory(dir, Instant.now()), Map.of("worker", 2));
    create(registry, "two", Slug.fromDirectory(dir, Instant.now()), Map.of("worker", 1));
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (Processes.descendants().stream().filter(p -> p.contains("sleep 991")).count() < 3 && System.nanoTime() < deadline) {
      Processes.sleep(20);
    }
    TestProbe<AppRegistry.ShutDown> done = kit.createTestProbe();
    registry.tell(new AppRegistry.ShutdownAll(done.getRef()));
    done.receiveMessage(Duration.ofSeconds(20));
    assertTrue(Processes.descendants().stream().noneMatch(p -> p.contains("sleep 991")), Processes.descendants().toString());
  }
}
