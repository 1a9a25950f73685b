package io.manifold.sim.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.sim.live.RawHttp.Answer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each fault a scenario injects into a synthetic dyno, and its heal, with the real {@code Dyno}
 * doing what Heroku's dyno manager does about it (restarts and their back-off, R14, R15).
 */
@ExtendWith(LogCapturingExtension.class)
class SyntheticFaultsTest {
  static final DynoHarness h = new DynoHarness();
  static final long MB = 1024 * 1024;

  @AfterAll
  static void stop() {
    h.close();
  }

  private static Answer get(CompletableFuture<Answer> f) {
    return f.orTimeout(60, TimeUnit.SECONDS).join();
  }

  @Test
  void aSlowDynoAddsItsExtraTimeToEveryRequestUntilHealed() {
    DynoHarness.Run web = h.start("slow", "web.1", Map.of());
    int port = web.awaitUp();
    SyntheticFaults.Heal heal = h.faults.slow("slow", "web.1", Duration.ofMillis(300));
    assertEquals(List.of(new SyntheticFaults.Active("slow", "web.1", SyntheticFaults.Kind.SLOW, "300ms")), h.faults.active());
    assertEquals("310000000ns", get(h.http.send(port, "10ms")).header("X-Manifold-Service"));
    heal.heal();
    assertEquals("10000000ns", get(h.http.send(port, "10ms")).header("X-Manifold-Service"));
    assertTrue(h.faults.active().isEmpty());
    web.stop();
  }

  @Test
  void anErrorFaultAnswers500UntilHealedAndAFaultOnTheDynoWinsOverOneOnItsType() {
    DynoHarness.Run web = h.start("errs", "web.1", Map.of());
    int port = web.awaitUp();
    h.faults.errors("errs", "web", 1.0);
    Answer failed = get(h.http.send(port, "1ms"));
    assertEquals(500, failed.status());
    assertEquals("web.1: synthetic error\n", failed.body());
    h.faults.errors("errs", "web.1", 0.0);
    assertEquals(200, get(h.http.send(port, "1ms")).status());
    h.faults.heal("errs", "web.1", SyntheticFaults.Kind.ERRORS);
    assertEquals(500, get(h.http.send(port, "1ms")).status());
    h.faults.heal("errs", "web", SyntheticFaults.Kind.ERRORS);
    assertEquals(200, get(h.http.send(port, "1ms")).status());
    web.stop();
  }

  @Test
  void aHungDynoTakesRequestsAndAnswersNoneUntilHealed() {
    DynoHarness.Run web = h.start("hang", "web.1", Map.of("SYNTHETIC_CONCURRENCY", "2"));
    int port = web.awaitUp();
    SyntheticFaults.Heal heal = h.faults.hang("hang", "web.1");
    List<CompletableFuture<Answer>> held = List.of(h.http.send(port, "1ms"), h.http.send(port, "1ms"), h.http.send(port, "1ms"));
    SyntheticDynoView v = web.awaitView(x -> x.hung() == 2 && x.queued() == 1);
    assertEquals(0, v.served());
    DynoHarness.sleep(300);
    assertTrue(held.stream().noneMatch(CompletableFuture::isDone), "a hung dyno answers nothing");
    heal.heal();
    assertTrue(held.stream().map(SyntheticFaultsTest::get).allMatch(a -> a.status() == 200));
    assertEquals(3, web.view().served());
    web.stop();
  }

  @Test
  void aCrashIsAnExit1AndTheDynoIsRestartedAtOnce() {
    DynoHarness.Run web = h.start("crash", "web.1", Map.of());
    int port = web.awaitUp();
    CompletableFuture<Answer> inFlight = h.http.send(port, "10m");
    web.awaitView(v -> v.inService() == 1);
    assertEquals(1, h.faults.crash("crash", "web"));
    assertTrue(get(inFlight).closed(), "what it held is lost with it");
    web.logs.awaitAnywhere("app[web.1]: Crashing (crash fault)");
    web.logs.await("heroku[web.1]: Process exited with status 1");
    web.logs.await("heroku[web.1]: State changed from up to crashed");
    web.logs.await("heroku[web.1]: State changed from crashed to starting");
    int newPort = web.awaitUp();
    assertEquals(200, get(h.http.send(newPort, "1ms")).status());
    assertEquals(0, h.faults.crash("crash", "web.2"), "no such dyno runs");
    assertTrue(h.faults.runs("crash", "web.1") && h.faults.runs("crash", "web") && !h.faults.runs("crash", "web.2"));
    assertEquals(List.of("web.1"), h.faults.dynos().stream().filter(v -> v.app().equals("crash")).map(SyntheticDynoView::dyno).toList());
    web.stop();
  }

  @Test
  void aCrashLoopingDynoGetsHerokusRestartBackOffUntilHealed() {
    h.faults.crashLoop("loop", "web");
    DynoHarness.Run web = h.start("loop", "web.1", Map.of("SYNTHETIC_BOOT", "50ms"));
    for (int attempt = 1; attempt <= 3; attempt++) {
      web.logs.await("heroku[web.1]: Process exited with status 1");
      web.logs.await("heroku[web.1]: State changed from starting to crashed");
      if (attempt < 3) {
        web.logs.await("heroku[web.1]: State changed from crashed to starting");
      }
    }
    assertTrue(web.logs.lines().contains("app[web.1]: Crashing as it boots (crash-loop fault)"), web.logs.dump());
    // the third crash in a row waits out the first cool-off (Heroku: 10 minutes)
    web.logs.collectFor(Duration.ofMillis(500));
    assertEquals(2, web.logs.lines().stream().filter(l -> l.endsWith("State changed from crashed to starting")).count(), web.logs.dump());
    h.faults.heal("loop", "web", SyntheticFaults.Kind.CRASH_LOOP);
    h.time.timePasses(Duration.ofMinutes(10));
    web.logs.await("heroku[web.1]: State changed from crashed to starting");
    web.logs.await("heroku[web.1]: State changed from starting to up");
    web.stop();
  }

  @Test
  void aLeakGrowsMemoryToR14ThenR15AndTheRestartedDynoStartsFromTheAppsMemory() {
    DynoHarness.Run web = h.start("leak", "web.1", Map.of("SYNTHETIC_MEMORY", "start=400MB"));
    int port = web.awaitUp();
    assertEquals(400 * MB, web.view().memoryBytes());
    h.faults.leak("leak", "web.1", 100 * MB);
    for (int i = 0; i < 2; i++) {
      assertEquals(200, get(h.http.send(port, "1ms")).status());
    }
    assertEquals(600 * MB, web.view().memoryBytes());
    h.time.timePasses(Duration.ofSeconds(20));
    web.logs.await("heroku[web.1]: Process running mem=600MB(117.2%)");
    web.logs.await("heroku[web.1]: Error R14 (Memory quota exceeded)");
    for (int i = 0; i < 5; i++) {
      assertEquals(200, get(h.http.send(port, "1ms")).status());
    }
    h.time.timePasses(Duration.ofSeconds(20));
    web.logs.await("heroku[web.1]: Process running mem=1100MB(214.8%)");
    web.logs.await("heroku[web.1]: Error R15 (Memory quota vastly exceeded)");
    web.logs.await("heroku[web.1]: Stopping process with SIGKILL");
    web.logs.await("heroku[web.1]: Process exited with status 137");
    web.logs.await("heroku[web.1]: State changed from up to crashed");
    web.logs.await("heroku[web.1]: State changed from crashed to starting");
    web.awaitUp();
    assertEquals(400 * MB, web.awaitView(v -> v.state().equals("running")).memoryBytes());
    web.stop();
  }

  @Test
  void aFaultNeedsADynoOrATypeAndTheTableIsBounded() {
    assertThrows(IllegalArgumentException.class, () -> h.faults.hang("x", "web 1"));
    assertThrows(IllegalArgumentException.class, () -> h.faults.hang("", "web.1"));
    assertThrows(IllegalArgumentException.class, () -> h.faults.errors("x", "web", 1.5));
    SyntheticFaults table = new SyntheticFaults();
    for (int i = 1; i <= SyntheticFaults.MAX_FAULTS; i++) {
      table.hang("x", "web." + i);
    }
    table.hang("x", "web.1"); // the same fault again replaces it
    assertThrows(IllegalStateException.class, () -> table.hang("x", "worker"));
    table.healAll();
    assertTrue(table.active().isEmpty());
    assertFalse(table.crashLooping("x", new io.manifold.core.dyno.DynoName("web", 1)));
  }

  @Test
  void aHealHandleEndsOnlyItsOwnFault() {
    SyntheticFaults table = new SyntheticFaults();
    SyntheticFaults.Heal first = table.slow("x", "web", Duration.ofMillis(100));
    table.slow("x", "web", Duration.ofMillis(200));
    first.heal();
    assertEquals(200_000_000L, table.slowNanos("x", new io.manifold.core.dyno.DynoName("web", 4)));
  }

  @Test
  void aFaultOnATypeReachesWorkersToo() {
    h.faults.crashLoop("jobs", "worker");
    DynoHarness.Run worker = h.start("jobs", "worker.1", Map.of());
    worker.logs.await("heroku[worker.1]: Process exited with status 1");
    worker.logs.await("heroku[worker.1]: State changed from up to crashed"); // a worker is up once it runs
    h.faults.healAll();
    h.time.timePasses(Duration.ofMinutes(10)); // in case it had crashed a third time meanwhile
    worker.logs.awaitAnywhere("app[worker.1]: Running (synthetic worker)");
    worker.stop();
  }
}
