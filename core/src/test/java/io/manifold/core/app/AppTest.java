package io.manifold.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.core.dyno.DynoSettings;
import io.manifold.core.dyno.DynoState;
import io.manifold.core.dyno.ProcessRuntime;
import io.manifold.core.dyno.RestartBackoff;
import io.manifold.core.routing.Router;
import io.manifold.testing.LogProbe;
import io.manifold.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The App against real (shell) processes: formation, releases, config, rollback, one-offs, stop. */
@ExtendWith(LogCapturingExtension.class)
class AppTest {
  static final ActorTestKit kit = ActorTestKit.create();
  static final ProcessRuntime runtime = new ProcessRuntime(Duration.ofMillis(50), Duration.ofSeconds(5));
  static final DynoSettings settings = new DynoSettings(
      Duration.ofSeconds(60), Duration.ofSeconds(5), RestartBackoff.HEROKU, Clock.systemUTC());
  static final String USER = "tester@example.com";

  @TempDir
  static Path dir;
  static Slug slug;

  @BeforeAll
  static void code() throws Exception {
    Files.writeString(dir.resolve("Procfile"), """
        worker: echo "$DYNO greeting=$GREETING"; exec sleep 700
        clock: exec sleep 701
        release: echo migrating
        """);
    slug = Slug.fromDirectory(dir, Instant.now());
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
    runtime.close();
  }

  private final LogProbe logs = new LogProbe(kit);
  private final TestProbe<Router.Command> router = kit.createTestProbe();

  private static final java.util.concurrent.atomic.AtomicInteger apps = new java.util.concurrent.atomic.AtomicInteger();

  /** A new app (each test its own, as the journal is shared): v1 with GREETING=hi, then the slug deployed and scaled. */
  private ActorRef<App.Command> start(Map<String, Integer> formation) {
    ActorRef<App.Command> app = kit.spawn(App.create("shop-" + apps.incrementAndGet(),
        new AppWiring(runtime, settings, logs.ref(), router.getRef(), "local")));
    App.Outcome created = ask(app, r -> new App.Create("id-" + apps.get(), "shop", USER, Map.of("GREETING", "hi"), slug, formation, r));
    assertTrue(created.accepted(), created.message());
    return app;
  }

  private static App.Outcome ask(ActorRef<App.Command> app, Function<ActorRef<App.Outcome>, App.Command> message) {
    TestProbe<App.Outcome> reply = kit.createTestProbe();
    app.tell(message.apply(reply.getRef()));
    return reply.receiveMessage(Duration.ofSeconds(30));
  }

  private static AppView awaitView(ActorRef<App.Command> app, Predicate<AppView> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    TestProbe<AppView> reply = kit.createTestProbe();
    AppView view = null;
    while (System.nanoTime() < deadline) {
      app.tell(new App.GetView(reply.getRef()));
      view = reply.receiveMessage();
      if (condition.test(view)) {
        return view;
      }
      Processes.sleep(50);
    }
    throw new AssertionError("the app never got there; last: " + view);
  }

  private static Map<String, DynoState> states(AppView view) {
    Map<String, DynoState> m = new HashMap<>();
    view.dynos().forEach(d -> m.put(d.name(), d.status().state()));
    return m;
  }

  private static boolean allUp(AppView v, int n) {
    return v.dynos().size() == n && v.dynos().stream().allMatch(d -> d.status().state() == DynoState.UP);
  }

  @Test
  void aDeployIsAReleaseWithTheSlugAndItsProcessTypesMakeTheFormation() {
    ActorRef<App.Command> app = start(Map.of("worker", 2));
    logs.await("app[api]: Initial release by user " + USER);
    logs.await("app[api]: Release v1 created by user " + USER);
    logs.await("app[api]: Deploy " + slug.shortId() + " by user " + USER);
    logs.await("app[api]: Release v2 created by user " + USER);
    logs.await("app[api]: Scale to worker=2 by user " + USER);
    AppView view = awaitView(app, v -> allUp(v, 2));
    assertEquals(Map.of("worker.1", DynoState.UP, "worker.2", DynoState.UP), states(view));
    assertEquals(List.of("worker", "clock"), List.copyOf(view.state().quantities().keySet()), "release is not in the formation");
    assertEquals("Deploy " + slug.shortId(), view.state().current().description());
    assertEquals(2, view.state().current().version());
    assertTrue(ask(app, App.Shutdown::new).accepted());
  }

  @Test
  void scalingUpAndDownStartsAndStopsTheHighestNumberedDynos() {
    ActorRef<App.Command> app = start(Map.of("worker", 1));
    awaitView(app, v -> states(v).equals(Map.of("worker.1", DynoState.UP)));
    assertTrue(ask(app, r -> new App.Scale(Map.of("worker", Quantity.absolute(3), "clock", Quantity.absolute(1)), Map.of(), USER, r)).accepted());
    logs.await("app[api]: Scale to worker=3, clock=1 by user " + USER);
    awaitView(app, v -> allUp(v, 4));
    assertTrue(ask(app, r -> new App.Scale(Map.of("worker", Quantity.parse("-2", "test")), Map.of(), USER, r)).accepted());
    AppView after = awaitView(app, v -> states(v).equals(Map.of("worker.1", DynoState.UP, "clock.1", DynoState.UP)));
    assertEquals(1, after.state().quantity("worker"));
    logs.collectFor(Duration.ofMillis(200));
    assertTrue(logs.lines().contains("heroku[worker.3]: State changed from up to down"), logs.dump());
    assertTrue(logs.lines().contains("heroku[worker.2]: State changed from up to down"), logs.dump());
    assertFalse(logs.lines().contains("heroku[worker.1]: State changed from up to down"), logs.dump());
    assertTrue(ask(app, App.Shutdown::new).accepted());
  }

  @Test
  void aBadScaleIsRejectedWholeAndChangesNothing() {
    ActorRef<App.Command> app = start(Map.of("worker", 1));
    App.Outcome unknown = ask(app, r -> new App.Scale(Map.of("worker", Quantity.absolute(3), "web", Quantity.absolute(1)), Map.of(), USER, r));
    assertEquals("invalid_params", unknown.error());
    assertTrue(unknown.message().contains("no process type 'web'") && unknown.message().contains("worker, clock"), unknown.message());
    assertEquals("invalid_params", ask(app, r -> new App.Scale(Map.of("worker", Quantity.absolute(App.MAX_QUANTITY + 1)), Map.of(), USER, r)).error());
    assertEquals("invalid_params", ask(app, r -> new App.Scale(Map.of("worker", Quantity.parse("-5", "t")), Map.of(), USER, r)).error());
    assertEquals("invalid_params", ask(app, r -> new App.Scale(Map.of("release", Quantity.absolute(1)), Map.of(), USER, r)).error());
    App.Outcome badSize = ask(app, r -> new App.Scale(Map.of(), Map.of("worker", "Huge-9X"), USER, r));
    assertTrue(badSize.message().contains("not a dyno size"), badSize.message());
    AppView view = awaitView(app, v -> v.dynos().size() == 1);
    assertEquals(1, view.state().quantity("worker"), "the worker=3 of the rejected batch was not applied");
    assertEquals("Basic", view.state().size("worker"));
    assertTrue(ask(app, r -> new App.Scale(Map.of(), Map.of("worker", "standard-2x"), USER, r)).accepted());
    assertEquals("Standard-2X", awaitView(app, v -> true).state().size("worker"));
    assertTrue(ask(app, App.Shutdown::new).accepted());
  }

  @Test
  void aNewSizeRestartsTheDynosOfItsTypeOnly() {
    ActorRef<App.Command> app = start(Map.of("worker", 1, "clock", 1));
    awaitView(app, v -> allUp(v, 2));
    assertTrue(ask(app, r -> new App.Scale(Map.of(), Map.of("worker", "Standard-2X"), USER, r)).accepted());
    logs.await("heroku[worker.1]: Restarting");
    logs.await("heroku[worker.1]: State changed from starting to up");
    logs.collectFor(Duration.ofMillis(200));
    assertFalse(logs.lines().contains("heroku[clock.1]: Restarting"), logs.dump());
    assertTrue(ask(app, App.Shutdown::new).accepted());
  }

  @Test
  void aConfigChangeIsANewReleaseAndRestartsEveryDynoIntoIt() {
    ActorRef<App.Command> app = start(Map.of("worker", 2));
    logs.awaitAnywhere("app[worker.1]: worker.1 greeting=hi");
    Map<String, String> changes = new HashMap<>();
    changes.put("GREETING", "bonjour");
    changes.put("NOT_SET", null);
    App.Outcome set = ask(app, r -> new App.SetConfig(changes, USER, r));
    assertEquals("Release v3", set.message());
    logs.await("app[api]: Set GREETING config vars by user " + USER);
    logs.await("app[api]: Release v3 created by user " + USER);
    logs.awaitAnywhere("app[worker.1]: worker.1 greeting=bonjour");
    AppView view = awaitView(app, v -> allUp(v, 2) && v.dynos().stream().allMatch(d -> d.status().release() == 3));
    assertEquals(Map.of("GREETING", "bonjour"), view.state().config());
    assertEquals("No change", ask(app, r -> new App.SetConfig(Map.of("GREETING", "bonjour"), USER, r)).message(), "no release for no change");

    Map<String, String> unset = new HashMap<>();
    unset.put("GREETING", null);
    assertEquals("Release v4", ask(app, r -> new App.SetConfig(unset, USER, r)).message());
    logs.await("app[api]: Remove GREETING config vars by user " + USER);
    assertEquals("invalid_params", ask(app, r -> new App.SetConfig(Map.of("BAD-NAME", "x"), USER, r)).error());
    assertTrue(ask(app, App.Shutdown::new).accepted());
  }

  @Test
  void aRollbackIsANewReleaseWithTheOldConfig() {
    ActorRef<App.Command> app = start(Map.of("worker", 1));
    assertTrue(ask(app, r -> new App.SetConfig(Map.of("GREETING", "v3"), USER, r)).accepted());
    App.Outcome back = ask(app, r -> new App.Rollback(2, USER, r));
    assertTrue(back.accepted(), back.message());
    assertEquals("Rollback to v2", back.view().state().current().description());
    assertEquals(4, back.view().state().current().version());
    assertEquals(Map.of("GREETING", "hi"), back.view().state().config());
    logs.await("app[api]: Rollback to v2 by user " + USER);
    logs.awaitAnywhere("app[worker.1]: worker.1 greeting=hi");
    assertEquals("not_found", ask(app, r -> new App.Rollback(99, USER, r)).error());
    assertTrue(ask(app, App.Shutdown::new).accepted());
  }

  @Test
  void aOneOffDynoRunsItsCommandOnceAndIsGone() {
    ActorRef<App.Command> app = start(Map.of());
    App.Outcome run = ask(app, r -> new App.RunOneOff("echo \"once $GREETING $EXTRA\"", Map.of("EXTRA", "more"), USER, r));
    assertTrue(run.accepted(), run.message());
    assertEquals("run.1", run.detail());
    logs.await("app[api]: Starting process with command `echo \"once $GREETING $EXTRA\"` by user " + USER);
    logs.awaitAnywhere("app[run.1]: once hi more");
    logs.await("heroku[run.1]: State changed from up to complete");
    awaitView(app, v -> v.dynos().isEmpty());
    assertEquals("run.2", ask(app, r -> new App.RunOneOff("true", Map.of(), USER, r)).detail());
    assertTrue(ask(app, App.Shutdown::new).accepted());
  }

  @Test
  void maintenanceIsKeptAndLogged() {
    ActorRef<App.Command> app = start(Map.of());
    assertTrue(ask(app, r -> new App.SetMaintenance(true, USER, r)).view().state().maintenance());
    logs.await("app[api]: Enable maintenance mode by user " + USER);
    assertFalse(ask(app, r -> new App.SetMaintenance(false, USER, r)).view().state().maintenance());
    assertTrue(ask(app, App.Shutdown::new).accepted());
  }

  @Test
  void aStoppedFormationDynoComesBackAndARestartOfATypeRestartsOnlyIt() {
    ActorRef<App.Command> app = start(Map.of("worker", 1, "clock", 1));
    awaitView(app, v -> allUp(v, 2));
    assertTrue(ask(app, r -> new App.Restart("clock", USER, r)).accepted());
    logs.await("heroku[clock.1]: Restarting");
    logs.await("heroku[clock.1]: State changed from starting to up");
    assertFalse(logs.lines().contains("heroku[worker.1]: Restarting"), logs.dump());
    assertEquals("not_found", ask(app, r -> new App.Restart("web", USER, r)).error());

    assertTrue(ask(app, r -> new App.Stop("worker.1", USER, r)).accepted());
    logs.await("heroku[worker.1]: State changed from up to down");
    logs.await("heroku[worker.1]: Starting process with command");
    awaitView(app, v -> allUp(v, 2));
    assertTrue(ask(app, App.Shutdown::new).accepted());
  }

  @Test
  void aBlankAppHasNoDynosAndRefusesCommandsThatNeedCode() {
    ActorRef<App.Command> app = kit.spawn(App.create("blank", new AppWiring(runtime, settings, logs.ref(), router.getRef(), "local")));
    assertTrue(ask(app, r -> new App.Create("id-blank", "blank", USER, Map.of(), null, Map.of(), r)).accepted());
    assertEquals("invalid_params", ask(app, r -> new App.Scale(Map.of("web", Quantity.absolute(1)), Map.of(), USER, r)).error());
    assertEquals("invalid_params", ask(app, r -> new App.RunOneOff("ls", Map.of(), USER, r)).error());
    assertNull(awaitView(app, v -> true).state().slug());
    App.Outcome destroyed = ask(app, r -> new App.Destroy(USER, r));
    assertTrue(destroyed.accepted() && destroyed.view().state().destroyed());
  }

  @Test
  void aRestartedAppRecoversItsStateFromItsEventsAndBringsItsDynosBack() {
    AppWiring wiring = new AppWiring(runtime, settings, logs.ref(), router.getRef(), "local");
    ActorRef<App.Command> app = kit.spawn(App.create("durable", wiring));
    assertTrue(ask(app, r -> new App.Create("id-durable", "durable", USER, Map.of("GREETING", "hi"), slug, Map.of("worker", 2), r)).accepted());
    assertTrue(ask(app, r -> new App.SetConfig(Map.of("GREETING", "v3"), USER, r)).accepted());
    assertTrue(ask(app, r -> new App.Rollback(2, USER, r)).accepted());
    assertTrue(ask(app, r -> new App.Scale(Map.of("clock", Quantity.absolute(1)), Map.of("worker", "Standard-2X"), USER, r)).accepted());
    assertTrue(ask(app, r -> new App.SetMaintenance(true, USER, r)).accepted());
    AppState before = awaitView(app, v -> allUp(v, 3)).state();
    assertTrue(ask(app, App.Shutdown::new).accepted());

    ActorRef<App.Command> again = kit.spawn(App.create("durable", wiring));
    AppView after = awaitView(again, v -> allUp(v, 3));
    assertEquals(before, after.state(), "the same state, from the journal");
    assertEquals(List.of(1, 2, 3, 4), after.state().releases().stream().map(Release::version).toList());
    assertEquals("conflict", ask(again, r -> new App.Create("id-x", "durable", USER, Map.of(), null, Map.of(), r)).error());
    assertTrue(ask(again, App.Shutdown::new).accepted());
  }

  @Test
  void aDestroyedAppStaysDestroyedAndItsNameCanBeCreatedAgain() {
    AppWiring wiring = new AppWiring(runtime, settings, logs.ref(), router.getRef(), "local");
    ActorRef<App.Command> app = kit.spawn(App.create("phoenix", wiring));
    assertTrue(ask(app, r -> new App.Create("id-p1", "phoenix", USER, Map.of("OLD", "1"), slug, Map.of("worker", 1), r)).accepted());
    assertTrue(ask(app, r -> new App.Destroy(USER, r)).accepted());
    ActorRef<App.Command> again = kit.spawn(App.create("phoenix", wiring));
    assertTrue(!awaitView(again, v -> true).state().exists());
    assertEquals("not_found", ask(again, r -> new App.Scale(Map.of("worker", Quantity.absolute(1)), Map.of(), USER, r)).error());
    App.Outcome reborn = ask(again, r -> new App.Create("id-p2", "phoenix", USER, Map.of(), null, Map.of(), r));
    assertTrue(reborn.accepted(), reborn.message());
    assertEquals("id-p2", reborn.view().state().id());
    assertEquals(Map.of(), reborn.view().state().config(), "nothing of the old app comes back");
    assertEquals(1, reborn.view().state().current().version());
    assertTrue(ask(again, App.Shutdown::new).accepted());
  }

  @Test
  void shutdownStopsEveryDynoAndTellsTheRouter() {
    ActorRef<App.Command> app = start(Map.of("worker", 2, "clock", 1));
    assertEquals("shop", router.expectMessageClass(Router.RegisterApp.class).app());
    awaitView(app, v -> allUp(v, 3));
    assertTrue(ask(app, App.Shutdown::new).accepted());
    boolean unregistered = false;
    for (int i = 0; i < 100 && !unregistered; i++) {
      unregistered = router.receiveMessage(Duration.ofSeconds(5)) instanceof Router.UnregisterApp;
    }
    assertTrue(unregistered);
    List<String> left = Processes.descendants().stream().filter(p -> p.contains("sleep 70")).toList();
    assertTrue(left.isEmpty(), "processes left: " + left);
  }
}
