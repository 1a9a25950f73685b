package io.manifold.sim.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.core.dyno.Dyno;
import io.manifold.core.dyno.DynoState;
import io.manifold.sim.live.RawHttp.Answer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A synthetic dyno in real time, on a real socket, driven by the real {@code Dyno}: it binds
 * {@code $PORT}, serves with the service time a request brings, holds to its concurrency and
 * backlog, drains on SIGTERM and drops everything on SIGKILL, and takes its model from the config
 * vars of its release.
 */
@ExtendWith(LogCapturingExtension.class)
class LiveSyntheticDynoTest {
  static final DynoHarness h = new DynoHarness();

  @AfterAll
  static void stop() {
    h.close();
  }

  private static Answer get(CompletableFuture<Answer> f) {
    return f.orTimeout(60, TimeUnit.SECONDS).join();
  }

  @Test
  void aWebDynoBindsItsPortAndAnswersWithTheServiceTimeTheRequestBrings() {
    DynoHarness.Run web = h.start("bind", "web.1", Map.of("SYNTHETIC_SERVICE", "lognormal(median=40ms, p99=400ms)"));
    int port = web.awaitUp();
    web.logs.await("heroku[web.1]: State changed from starting to up");
    assertTrue(web.logs.awaitAnywhere("app[web.1]: Listening on 127.0.0.1:" + port).message().contains("lognormal"));

    Answer a = get(h.http.send(port, "37.25ms"));
    assertEquals(200, a.status());
    assertEquals("web.1\n", a.body());
    assertEquals("web.1", a.header("X-Manifold-Dyno"));
    assertEquals("1", a.header("X-Manifold-Release"));
    assertEquals("37250000ns", a.header("X-Manifold-Service"), "the header's time, not a draw");
    assertEquals("1000ns", get(h.http.send(port, "1us")).header("X-Manifold-Service"));

    Answer drawn = get(h.http.send(port, null));
    assertEquals(200, drawn.status());
    assertTrue(drawn.header("X-Manifold-Service").matches("[0-9]+ns"), drawn.headers().toString());

    Answer bad = get(h.http.send(port, "soon"));
    assertEquals(400, bad.status());
    assertTrue(bad.body().startsWith("X-Manifold-Service: expected a duration"), bad.body());
    assertEquals(3, web.view().served(), "a bad request is not served");
    web.stop();
  }

  @Test
  void atMostConcurrencyRequestsAreServedAndAtMostTheBacklogWaitTheRestAreClosedUnanswered() {
    DynoHarness.Run web = h.start("busy", "web.1", Map.of("SYNTHETIC_CONCURRENCY", "2", "SYNTHETIC_BACKLOG", "2"));
    int port = web.awaitUp();
    List<CompletableFuture<Answer>> first = IntStream.range(0, 4).mapToObj(i -> h.http.send(port, "2s")).toList();
    SyntheticDynoView full = web.awaitView(v -> v.inService() == 2 && v.queued() == 2);
    assertEquals(0, full.served());
    Answer refused = get(h.http.send(port, "2s"));
    assertTrue(refused.closed(), "past the backlog the connection is closed without an answer (H13): " + refused);
    assertEquals(1, web.view().refused());

    List<Answer> answers = first.stream().map(LiveSyntheticDynoTest::get).toList();
    assertTrue(answers.stream().allMatch(a -> a.status() == 200), answers.toString());
    long waited = answers.stream().filter(a -> Long.parseLong(a.header("X-Manifold-Queue").replace("ns", "")) >= 1_000_000_000L).count();
    assertEquals(2, waited, "two waited for a slot, behind a 2 s request each: " + answers);
    assertEquals(4, web.view().served());
    web.stop();
  }

  @Test
  void sigtermStopsListeningAnswersWhatItHoldsThenExits143() {
    DynoHarness.Run web = h.start("drain", "web.1", Map.of("SYNTHETIC_BACKLOG", "5"));
    int port = web.awaitUp();
    List<CompletableFuture<Answer>> held = IntStream.range(0, 3).mapToObj(i -> h.http.send(port, "500ms")).toList();
    web.awaitView(v -> v.inService() == 1 && v.queued() == 2);
    var stopped = h.kit.<Dyno.Stopped>createTestProbe();
    web.dyno.tell(new Dyno.Stop(stopped.getRef()));
    web.logs.await("heroku[web.1]: Stopping all processes with SIGTERM");
    DynoHarness.await("the port closes", () -> RawHttp.refuses(port));

    List<Answer> answers = held.stream().map(LiveSyntheticDynoTest::get).toList();
    assertTrue(answers.stream().allMatch(a -> a.status() == 200 && "close".equals(a.header("Connection"))), answers.toString());
    web.logs.await("heroku[web.1]: Process exited with status 143");
    web.logs.await("heroku[web.1]: State changed from up to down");
    stopped.receiveMessage(Duration.ofSeconds(20));
    assertTrue(h.runtime.dyno("drain", "web.1").isEmpty());
  }

  @Test
  void sigkillAfterTheGraceDropsWhatItHoldsAndExits137() {
    DynoHarness.Run web = h.start("stuck", "web.1", Map.of());
    int port = web.awaitUp();
    CompletableFuture<Answer> long1 = h.http.send(port, "10m");
    web.awaitView(v -> v.inService() == 1);
    var stopped = h.kit.<Dyno.Stopped>createTestProbe();
    web.dyno.tell(new Dyno.Stop(stopped.getRef()));
    web.logs.await("heroku[web.1]: Stopping all processes with SIGTERM");
    DynoHarness.await("the port closes", () -> RawHttp.refuses(port));
    assertFalse(long1.isDone(), "the request in service goes on after SIGTERM");
    h.time.timePasses(Duration.ofSeconds(30));
    web.logs.await("heroku[web.1]: Error R12 (Exit timeout) -> Process failed to exit within 30 seconds of SIGTERM");
    web.logs.await("heroku[web.1]: Stopping process with SIGKILL");
    web.logs.await("heroku[web.1]: Process exited with status 137");
    assertTrue(get(long1).closed(), "killed: the connection closes without an answer");
    stopped.receiveMessage(Duration.ofSeconds(20));
  }

  @Test
  void aBadConfigVarIsPrintedAndTheDynoExits1AsAMisconfiguredAppCrashes() {
    DynoHarness.Run web = h.start("typo", "web.1", Map.of("SYNTHETIC_CONCURRENCY", "two"));
    web.logs.await("heroku[web.1]: Starting process with command `synthetic`");
    web.logs.awaitAnywhere("app[web.1]: Error: SYNTHETIC_CONCURRENCY=two: expected a whole number from 1 to 1024");
    web.logs.await("heroku[web.1]: Process exited with status 1");
    web.logs.await("heroku[web.1]: State changed from starting to crashed");
    web.stop();
  }

  @Test
  void aNewReleaseWithOtherConfigVarsChangesHowTheAppBehaves() {
    DynoHarness.Run web = h.start("release", "web.1", Map.of());
    int port = web.awaitUp();
    assertEquals(200, get(h.http.send(port, "1ms")).status());
    Map<String, String> env = new HashMap<>(web.spec.env());
    env.put("SYNTHETIC_ERRORS", "100%");
    web.dyno.tell(new Dyno.Restart(web.spec.forRelease(2, env)));
    web.logs.await("heroku[web.1]: Restarting");
    web.logs.await("heroku[web.1]: Process exited with status 143");
    int newPort = web.awaitUp();
    Answer a = get(h.http.send(newPort, "1ms"));
    assertEquals(500, a.status());
    assertEquals("2", a.header("X-Manifold-Release"));
    web.stop();
  }

  @Test
  void aWorkerRunsWithoutAPortUntilItIsStopped() {
    DynoHarness.Run worker = h.start("jobs", "worker.1", Map.of("SYNTHETIC_BOOT", "100ms"));
    worker.awaitStatus(s -> s.state() == DynoState.UP);
    worker.logs.awaitAnywhere("app[worker.1]: Running (synthetic worker)");
    assertEquals(0, worker.view().port());
    assertTrue(worker.view().memoryBytes() > 0);
    worker.stop();
    worker.logs.await("heroku[worker.1]: Process exited with status 143");
  }

  @Test
  void aWebDynoIsStartingUntilItsBootTimeIsOver() {
    DynoHarness.Run web = h.start("slowboot", "web.1", Map.of("SYNTHETIC_BOOT", "2s"));
    int port = web.awaitView(v -> v.state().equals("booting")).port();
    assertTrue(RawHttp.refuses(port), "nothing listens while it boots");
    assertEquals(port, web.awaitUp());
    assertEquals("running", web.view().state());
    assertEquals(200, get(h.http.send(port, "1ms")).status());
    web.stop();
  }
}
