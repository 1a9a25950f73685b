package io.manifold.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.core.dyno.DynoSettings;
import io.manifold.core.dyno.DynoState;
import io.manifold.core.dyno.ProcessRuntime;
import io.manifold.core.dyno.RestartBackoff;
import io.manifold.core.procfile.Procfile;
import io.manifold.core.routing.Router;
import io.manifold.testing.LogProbe;
import io.manifold.testing.Processes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LogCapturingExtension.class)
class AppTest {
  static final ActorTestKit kit = ActorTestKit.create();
  static final ProcessRuntime runtime = new ProcessRuntime(Duration.ofMillis(50), Duration.ofSeconds(5));
  static final DynoSettings settings = new DynoSettings(
      Duration.ofSeconds(60), Duration.ofSeconds(5), RestartBackoff.HEROKU, Clock.systemUTC());

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
    runtime.close();
  }

  private final LogProbe logs = new LogProbe(kit);
  private final TestProbe<Router.Command> router = kit.createTestProbe();

  private static final Procfile PROCFILE = Procfile.parse("Procfile", """
      worker: echo "$DYNO greeting=$GREETING"; exec sleep 700
      clock: exec sleep 701
      release: echo migrating
      """);

  private ActorRef<App.Command> start(Map<String, Integer> formation) {
    AppSpec spec = new AppSpec("shop", Path.of(System.getProperty("java.io.tmpdir")), PROCFILE,
        Map.of("GREETING", "hi"), formation, "tester@example.com");
    return kit.spawn(App.create(spec, runtime, settings, logs.ref(), router.getRef()));
  }

  private App.Outcome ask(ActorRef<App.Command> app, java.util.function.Function<ActorRef<App.Outcome>, App.Command> message) {
    TestProbe<App.Outcome> reply = kit.createTestProbe();
    app.tell(message.apply(reply.getRef()));
    return reply.receiveMessage(Duration.ofSeconds(30));
  }

  private App.Info awaitInfo(ActorRef<App.Command> app, Predicate<App.Info> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    TestProbe<App.Info> reply = kit.createTestProbe();
    App.Info info = null;
    while (System.nanoTime() < deadline) {
      app.tell(new App.GetInfo(reply.getRef()));
      info = reply.receiveMessage();
      if (condition.test(info)) {
        return info;
      }
      Processes.sleep(50);
    }
    throw new AssertionError("the app never got there; last: " + info);
  }

  private static Map<String, DynoState> states(App.Info info) {
    Map<String, DynoState> m = new HashMap<>();
    info.dynos().forEach(d -> m.put(d.name().toString(), d.state()));
    return m;
  }

  @Test
  void startsItsFormationAndLogsTheInitialReleaseAndScale() {
    ActorRef<App.Command> app = start(Map.of("worker", 2));
    logs.await("app[api]: Initial release by user tester@example.com");
    logs.await("app[api]: Release v1 created by user tester@example.com");
    logs.await("app[api]: Scale to worker=2 by user tester@example.com");
    App.Info info = awaitInfo(app, i -> i.dynos().size() == 2 && i.dynos().stream().allMatch(d -> d.state() == DynoState.UP));
    assertEquals(Map.of("worker.1", DynoState.UP, "worker.2", DynoState.UP), states(info));
    assertEquals(List.of("worker", "clock"), List.copyOf(info.formation().quantities().keySet()), "release is not in the formation");
    assertEquals(1, info.release().version());
    assertTrue(ask(app, App.Shutdown::new).accepted());
  }

  @Test
  void scalingUpAndDownStartsAndStopsTheHighestNumberedDynos() {
    ActorRef<App.Command> app = start(Map.of("worker", 1));
    awaitInfo(app, i -> states(i).equals(Map.of("worker.1", DynoState.UP)));
    assertTrue(ask(app, r -> new App.Scale(Map.of("worker", 3, "clock", 1), r)).accepted());
    logs.await("app[api]: Scale to worker=3, clock=1 by user tester@example.com");
    awaitInfo(app, i -> states(i).equals(Map.of(
        "worker.1", DynoState.UP, "worker.2", DynoState.UP, "worker.3", DynoState.UP, "clock.1", DynoState.UP)));
    assertTrue(ask(app, r -> new App.Scale(Map.of("worker", 1), r)).accepted());
    awaitInfo(app, i -> states(i).equals(Map.of("worker.1", DynoState.UP, "clock.1", DynoState.UP)));
    logs.collectFor(Duration.ofMillis(200));
    assertTrue(logs.lines().contains("heroku[worker.3]: State changed from up to down"), logs.dump());
    assertTrue(logs.lines().contains("heroku[worker.2]: State changed from up to down"), logs.dump());
    assertFalse(logs.lines().contains("heroku[worker.1]: State changed from up to down"), logs.dump());
    assertTrue(ask(app, App.Shutdown::new).accepted());
  }

  @Test
  void aScaleOfAnUnknownTypeOrBeyondTheLimitIsRejectedAndChangesNothing() {
    ActorRef<App.Command> app = start(Map.of("worker", 1));
    App.Outcome unknown = ask(app, r -> new App.Scale(Map.of("web", 1), r));
    assertFalse(unknown.accepted());
    assertTrue(unknown.message().contains("no process type 'web'") && unknown.message().contains("worker, clock"), unknown.message());
    App.Outcome tooMany = ask(app, r -> new App.Scale(Map.of("worker", App.MAX_QUANTITY + 1), r));
    assertFalse(tooMany.accepted());
    assertFalse(ask(app, r -> new App.Scale(Map.of("release", 1), r)).accepted(), "release is not a formation type");
    App.Info info = awaitInfo(app, i -> i.dynos().size() == 1);
    assertEquals(1, info.formation().quantity("worker"));
    assertTrue(ask(app, App.Shutdown::new).accepted());
  }

  @Test
  void aConfigChangeIsANewReleaseAndRestartsEveryDynoIntoIt() {
    ActorRef<App.Command> app = start(Map.of("worker", 2));
    logs.await("app[worker.1]: worker.1 greeting=hi");
    Map<String, String> changes = new HashMap<>();
    changes.put("GREETING", "bonjour");
    changes.put("NOT_SET", null);
    App.Outcome set = ask(app, r -> new App.SetConfig(changes, r));
    assertEquals("Release v2", set.message());
    logs.await("app[api]: Set GREETING config vars by user tester@example.com");
    logs.await("app[api]: Release v2 created by user tester@example.com");
    logs.collectFor(Duration.ofSeconds(1));
    logs.await(s -> s.equals("app[worker.1]: worker.1 greeting=bonjour"), Duration.ofSeconds(20));
    App.Info info = awaitInfo(app, i -> i.dynos().stream().allMatch(d -> d.release() == 2 && d.state() == DynoState.UP) && i.dynos().size() == 2);
    assertEquals(Map.of("GREETING", "bonjour"), info.release().config());

    Map<String, String> unset = new HashMap<>();
    unset.put("GREETING", null);
    assertEquals("Release v3", ask(app, r -> new App.SetConfig(unset, r)).message());
    logs.await("app[api]: Remove GREETING config vars by user tester@example.com");
    assertFalse(ask(app, r -> new App.SetConfig(Map.of("BAD-NAME", "x"), r)).accepted());
    assertTrue(ask(app, App.Shutdown::new).accepted());
  }

  @Test
  void aRestartOfOneTypeRestartsOnlyItsDynos() {
    ActorRef<App.Command> app = start(Map.of("worker", 1, "clock", 1));
    awaitInfo(app, i -> i.dynos().size() == 2 && i.dynos().stream().allMatch(d -> d.state() == DynoState.UP));
    assertTrue(ask(app, r -> new App.Restart("clock", r)).accepted());
    logs.await("heroku[clock.1]: Restarting");
    logs.await("heroku[clock.1]: State changed from starting to up");
    assertFalse(logs.lines().contains("heroku[worker.1]: Restarting"), logs.dump());
    assertFalse(ask(app, r -> new App.Restart("web", r)).accepted());
    assertTrue(ask(app, App.Shutdown::new).accepted());
  }

  @Test
  void shutdownStopsEveryDynoAndTellsTheRouter() {
    ActorRef<App.Command> app = start(Map.of("worker", 2, "clock", 1));
    assertTrue(router.expectMessageClass(Router.RegisterApp.class).app().equals("shop"));
    awaitInfo(app, i -> i.dynos().size() == 3 && i.dynos().stream().allMatch(d -> d.state() == DynoState.UP));
    App.Outcome done = ask(app, App.Shutdown::new);
    assertTrue(done.accepted(), done.message());
    Router.UnregisterApp gone = router.fishForMessage(Duration.ofSeconds(5), m -> m instanceof Router.UnregisterApp
        ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
        : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore())
        .stream().filter(Router.UnregisterApp.class::isInstance).map(Router.UnregisterApp.class::cast).findFirst().orElseThrow();
    assertEquals("shop", gone.app());
    List<String> left = Processes.descendants().stream().filter(p -> p.contains("sleep 70")).toList();
    assertTrue(left.isEmpty(), "processes left: " + left);
  }
}
