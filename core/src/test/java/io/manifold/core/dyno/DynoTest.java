package io.manifold.core.dyno;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.manifold.testing.Examples;
import io.manifold.testing.LogProbe;
import io.manifold.testing.Processes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dyno lifecycle against real processes. Time-outs (R10, R12, the crash cool-off) run on the
 * testkit's manual clock, so that a 60 s boot time-out takes no 60 s.
 */
@ExtendWith(LogCapturingExtension.class)
class DynoTest {
  static final ActorTestKit kit = ActorTestKit.create(ManualTime.config().withFallback(ConfigFactory.load()));
  static final ManualTime time = ManualTime.get(kit.system());
  static final ProcessRuntime runtime = new ProcessRuntime(Duration.ofMillis(50), Duration.ofSeconds(5));
  static final DynoSettings settings = new DynoSettings(
      Duration.ofSeconds(60), Duration.ofSeconds(30), RestartBackoff.HEROKU, Clock.systemUTC());
  static final Path workDir = Path.of(System.getProperty("java.io.tmpdir"));

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
    runtime.close();
  }

  private final LogProbe logs = new LogProbe(kit);
  private final TestProbe<DynoStatus> statuses = kit.createTestProbe();

  private ActorRef<Dyno.Command> start(String dyno, String command, Map<String, String> env, Path dir) {
    DynoSpec spec = new DynoSpec("shop", DynoName.parseOrNull(dyno), command, env, 1, dir);
    return kit.spawn(Dyno.create(spec, runtime, settings, logs.ref(), statuses.getRef()));
  }

  private ActorRef<Dyno.Command> start(String dyno, String command) {
    return start(dyno, command, Map.of(), workDir);
  }

  private void stopAndExpectDown(ActorRef<Dyno.Command> dyno, String name) {
    TestProbe<Dyno.Stopped> stopped = kit.createTestProbe();
    dyno.tell(new Dyno.Stop(stopped.getRef()));
    assertEquals(name, stopped.receiveMessage(Duration.ofSeconds(20)).name().toString());
  }

  private static void assertNoProcess(String fragment) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<String> left = Processes.descendants().stream().filter(p -> p.contains(fragment)).toList();
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      Processes.sleep(50);
      left = Processes.descendants().stream().filter(p -> p.contains(fragment)).toList();
    }
    assertTrue(left.isEmpty(), "processes left behind: " + left);
  }

  @Test
  void aWorkerIsUpOnceItsProcessRunsAndItsOutputIsTheAppsLog() {
    ActorRef<Dyno.Command> dyno = start("worker.1", "echo ready; echo to stderr >&2; echo \"DYNO=$DYNO PORT=$PORT\"; exec sleep 600");
    logs.await("heroku[worker.1]: Starting process with command `echo ready;");
    logs.await("heroku[worker.1]: State changed from starting to up");
    assertEquals(DynoState.STARTING, statuses.receiveMessage().state());
    assertEquals(DynoState.UP, statuses.receiveMessage().state());
    // the dyno's own output races with the dyno manager's lines: look for it anywhere
    logs.awaitAnywhere("app[worker.1]: ready");
    logs.awaitAnywhere("app[worker.1]: to stderr");
    assertTrue(logs.awaitAnywhere("app[worker.1]: DYNO=").message().matches("DYNO=worker\\.1 PORT=\\d+"), logs.dump());

    stopAndExpectDown(dyno, "worker.1");
    logs.await("heroku[worker.1]: Stopping all processes with SIGTERM");
    logs.await("heroku[worker.1]: Process exited with status 143");
    logs.await("heroku[worker.1]: State changed from up to down");
    assertNoProcess("sleep 600");
  }

  @Test
  void aDynoThatExitsIsACrashRestartedAtOnceTwiceThenAfterACoolOff() {
    start("worker.1", "echo boom; exit 3");
    for (int attempt = 1; attempt <= 2; attempt++) {
      logs.await("app[worker.1]: boom");
      logs.await("heroku[worker.1]: Process exited with status 3");
      logs.await("heroku[worker.1]: State changed from up to crashed");
      logs.await("heroku[worker.1]: State changed from crashed to starting");
    }
    logs.await("app[worker.1]: boom");
    logs.await("heroku[worker.1]: State changed from up to crashed");
    // the third crash in a row waits out Heroku's 10 minute cool-off
    logs.collectFor(Duration.ofMillis(500));
    assertEquals(3, logs.lines().stream().filter(l -> l.endsWith("State changed from up to crashed")).count());
    assertEquals(2, logs.lines().stream().filter(l -> l.endsWith("State changed from crashed to starting")).count(), logs.dump());
    time.timePasses(Duration.ofMinutes(9));
    logs.collectFor(Duration.ofMillis(300));
    assertEquals(2, logs.lines().stream().filter(l -> l.endsWith("State changed from crashed to starting")).count(), logs.dump());
    time.timePasses(Duration.ofMinutes(1));
    logs.await("heroku[worker.1]: State changed from crashed to starting");
  }

  @Test
  void anExitWithStatusZeroIsACrashToo() {
    ActorRef<Dyno.Command> dyno = start("worker.1", "true");
    logs.await("heroku[worker.1]: Process exited with status 0");
    logs.await("heroku[worker.1]: State changed from up to crashed");
    stopAndExpectDown(dyno, "worker.1");
  }

  @Test
  void aWebDynoThatNeverBindsItsPortCrashesWithR10() {
    ActorRef<Dyno.Command> dyno = start("web.1", "exec sleep 601");
    logs.await("heroku[web.1]: Starting process with command `exec sleep 601`");
    time.timePasses(Duration.ofSeconds(59));
    logs.collectFor(Duration.ofMillis(300));
    assertTrue(logs.lines().stream().noneMatch(l -> l.contains("R10")), logs.dump());
    time.timePasses(Duration.ofSeconds(1));
    logs.await("heroku[web.1]: Error R10 (Boot timeout) -> Web process failed to bind to $PORT within 60 seconds of launch");
    logs.await("heroku[web.1]: Stopping process with SIGKILL");
    logs.await("heroku[web.1]: Process exited with status 137");
    logs.await("heroku[web.1]: State changed from starting to crashed");
    logs.await("heroku[web.1]: State changed from crashed to starting");
    stopAndExpectDown(dyno, "web.1");
    assertNoProcess("sleep 601");
  }

  @Test
  void aWebDynoIsUpOnceItListensOnItsPort() throws Exception {
    ActorRef<Dyno.Command> dyno = start("web.1",
        "exec java -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 Web.java", Map.of("GREETING", "Howdy"), Examples.hello());
    logs.await(s -> s.equals("heroku[web.1]: State changed from starting to up"), Duration.ofSeconds(60));
    DynoStatus up = statuses.receiveMessage(Duration.ofSeconds(5));
    while (up.state() != DynoState.UP) {
      up = statuses.receiveMessage(Duration.ofSeconds(5));
    }
    assertNotNull(up.endpoint());
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + up.endpoint().port() + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals("Howdy from web.1\n", response.body());
    stopAndExpectDown(dyno, "web.1");
    logs.await("heroku[web.1]: Process exited with status 143");
  }

  @Test
  void aDynoThatIgnoresSigtermIsKilledAfterTheGracePeriodWithR12() {
    ActorRef<Dyno.Command> dyno = start("worker.1", "trap '' TERM; echo trapped; while true; do sleep 1; done; echo never 602");
    logs.await("app[worker.1]: trapped");
    TestProbe<Dyno.Stopped> stopped = kit.createTestProbe();
    dyno.tell(new Dyno.Stop(stopped.getRef()));
    logs.await("heroku[worker.1]: Stopping all processes with SIGTERM");
    time.timePasses(Duration.ofSeconds(29));
    stopped.expectNoMessage(Duration.ofMillis(300));
    time.timePasses(Duration.ofSeconds(1));
    logs.await("heroku[worker.1]: Error R12 (Exit timeout) -> Process failed to exit within 30 seconds of SIGTERM");
    logs.await("heroku[worker.1]: Stopping process with SIGKILL");
    logs.await("heroku[worker.1]: Process exited with status 137");
    logs.await("heroku[worker.1]: State changed from up to down");
    stopped.receiveMessage(Duration.ofSeconds(10));
    assertNoProcess("never 602");
  }

  @Test
  void aRestartRunsTheNewReleaseWithItsConfig() {
    DynoSpec spec = new DynoSpec("shop", new DynoName("worker", 1), "echo \"greeting=$GREETING\"; exec sleep 603",
        Map.of("GREETING", "hi"), 1, workDir);
    ActorRef<Dyno.Command> dyno = kit.spawn(Dyno.create(spec, runtime, settings, logs.ref(), statuses.getRef()));
    logs.await("app[worker.1]: greeting=hi");
    dyno.tell(new Dyno.Restart(spec.forRelease(2, Map.of("GREETING", "bonjour"))));
    logs.await("heroku[worker.1]: Restarting");
    logs.await("heroku[worker.1]: State changed from up to starting");
    logs.await("heroku[worker.1]: Stopping all processes with SIGTERM");
    logs.await("heroku[worker.1]: Process exited with status 143");
    logs.await("heroku[worker.1]: Starting process with command");
    logs.await("heroku[worker.1]: State changed from starting to up");
    logs.awaitAnywhere("app[worker.1]: greeting=bonjour");
    TestProbe<DynoStatus> status = kit.createTestProbe();
    dyno.tell(new Dyno.GetStatus(status.getRef()));
    assertEquals(2, status.receiveMessage().release());
    stopAndExpectDown(dyno, "worker.1");
    assertNoProcess("sleep 603");
  }

  @Test
  void noProcessOfAStoppedOrCrashedDynoIsLeftBehind() {
    ActorRef<Dyno.Command> stopped = start("worker.1", "sleep 604 & sleep 605 & echo started; wait");
    logs.await("app[worker.1]: started");
    stopAndExpectDown(stopped, "worker.1");
    assertNoProcess("sleep 604");
    assertNoProcess("sleep 605");

    ActorRef<Dyno.Command> crashing = start("worker.2", "sleep 606 & echo leaving; exit 1");
    logs.await("app[worker.2]: leaving");
    logs.await("heroku[worker.2]: Process exited with status 1");
    stopAndExpectDown(crashing, "worker.2");
    assertNoProcess("sleep 606");
  }

  @Test
  void aDynoWhoseDirectoryIsGoneCrashesWithAPlatformError() {
    ActorRef<Dyno.Command> dyno = start("worker.1", "true", Map.of(), workDir.resolve("no-such-dir-for-manifold"));
    logs.await("heroku[worker.1]: Error R99 (Platform error) -> Failed to launch the process:");
    logs.await("heroku[worker.1]: State changed from starting to crashed");
    stopAndExpectDown(dyno, "worker.1");
  }
}
