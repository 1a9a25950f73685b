package io.manifold.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.manifold.core.dyno.DynoState;
import io.manifold.testing.Processes;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Heroku's per-dyno concurrency, the app's backlog (H11), keep-alive, and slots that never leak. */
@ExtendWith(LogCapturingExtension.class)
class RouterConcurrencyTest {
  static final ActorTestKit kit = ActorTestKit.create("router-concurrency", ConfigFactory.load());

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private final FrontHarness h = new FrontHarness(kit);
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void close() throws Exception {
    release.countDown();
    h.close();
  }

  /** A dyno that holds every request until the test lets go. */
  private int slowDyno() throws Exception {
    return h.backends.http(ex -> {
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Backends.reply(ex, 200, "done");
    });
  }

  @Test
  void aFullBacklogAnswersH11AtOnceAndABackloggedRequestGoesToTheDynoThatFreesUp() throws Exception {
    h.front(s -> s.withLimits(1, 1));
    h.dyno("web.1", DynoState.UP, slowDyno());
    h.awaitUp(1);
    CompletableFuture<HttpResponse<String>> first = h.getAsync("/1");
    FrontHarness.await(() -> h.routes().inFlight() == 1, "the first request is on the dyno");
    CompletableFuture<HttpResponse<String>> second = h.getAsync("/2");
    FrontHarness.await(() -> h.routes().backlog().size() == 1, "the second waits in the backlog");

    HttpResponse<String> third = h.get("/3");
    assertEquals(503, third.statusCode(), "backlog of 1 x 1 dyno is full");
    String line = h.line();
    assertTrue(line.startsWith("at=error code=H11 desc=\"Backlog too deep\" method=GET path=\"/3\""), line);
    assertFalse(first.isDone() || second.isDone());

    release.countDown();
    assertEquals(200, first.get(10, TimeUnit.SECONDS).statusCode());
    assertEquals(200, second.get(10, TimeUnit.SECONDS).statusCode());
    FrontHarness.await(() -> h.routes().inFlight() == 0 && h.routes().backlog().size() == 0, "every slot given back");
  }

  @Test
  void requestsInTheBacklogAreAnsweredAtOnceWhenTheAppLosesItsLastUpDyno() throws Exception {
    h.front(s -> s.withLimits(1, 5));
    h.dyno("web.1", DynoState.UP, slowDyno());
    h.awaitUp(1);
    CompletableFuture<HttpResponse<String>> first = h.getAsync("/busy");
    FrontHarness.await(() -> h.routes().inFlight() == 1, "the dyno is busy");
    CompletableFuture<HttpResponse<String>> waiting = h.getAsync("/waiting");
    FrontHarness.await(() -> h.routes().backlog().size() == 1, "the second waits in the backlog");

    h.dyno("web.1", DynoState.CRASHED, null);
    // well before the 30 s request time-out (H12): Heroku answers as for a new request
    assertEquals(503, waiting.get(10, TimeUnit.SECONDS).statusCode());
    String line = h.line();
    assertTrue(line.startsWith("at=error code=H10 desc=\"App crashed\" method=GET path=\"/waiting\""), line);
    assertEquals(0, h.routes().backlog().size());
    release.countDown();
    first.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aBackloggedRequestWaitsInTheBootQueueWhenTheAppsDynosRestart() throws Exception {
    h.front(s -> s.withLimits(1, 5));
    h.dyno("web.1", DynoState.UP, slowDyno());
    h.awaitUp(1);
    CompletableFuture<HttpResponse<String>> first = h.getAsync("/busy");
    FrontHarness.await(() -> h.routes().inFlight() == 1, "the dyno is busy");
    CompletableFuture<HttpResponse<String>> waiting = h.getAsync("/waiting");
    FrontHarness.await(() -> h.routes().backlog().size() == 1, "the second waits in the backlog");

    h.dyno("web.1", DynoState.STARTING, null);
    FrontHarness.await(() -> h.routes().booting() && h.routes().backlog().size() == 0, "it moved to the boot queue");
    h.dyno("web.1", DynoState.UP, h.backends.echo("web.1 again"));
    HttpResponse<String> r = waiting.get(10, TimeUnit.SECONDS);
    assertEquals(200, r.statusCode());
    assertTrue(r.body().startsWith("web.1 again"), r.body());
    release.countDown();
    first.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aBackloggedRequestGoesToADynoAsSoonAsItsQuarantineEnds() throws Exception {
    // a quarantine long enough for web.2 to be back on its port before it ends, on a slow machine too
    h.front(s -> s.withLimits(1, 5).with(b -> b.quarantine = Duration.ofSeconds(3)));
    int refusing = Backends.closedPort();
    h.dyno("web.1", DynoState.UP, slowDyno());
    h.dyno("web.2", DynoState.UP, refusing);
    h.awaitUp(2);
    CompletableFuture<HttpResponse<String>> busy = h.getAsync("/busy");
    // alone, it ends on web.1 (directly, or after web.2 refused it): then the others are sent
    FrontHarness.await(() -> h.routes().up().stream()
        .anyMatch(r -> r.dyno().toString().equals("web.1") && r.inFlight() == 1), "the first request is on web.1");
    // whichever web.2 got first was refused: web.2 is quarantined, web.1 holds /busy, and one
    // request waits in the backlog (a request refused with no free dyno left is H21; then another)
    CompletableFuture<HttpResponse<String>> waiting = null;
    for (int i = 0; i < 3 && waiting == null; i++) {
      CompletableFuture<HttpResponse<String>> r = h.getAsync("/waiting");
      FrontHarness.await(() -> r.isDone() || h.routes().backlog().size() == 1, "answered or in the backlog");
      if (!r.isDone()) {
        waiting = r;
      }
    }
    assertTrue(waiting != null, "a request waits in the backlog");
    assertTrue(h.routes().up().stream().anyMatch(r -> r.quarantined(System.nanoTime())), "web.2 is quarantined");
    // web.2 comes back on its port while quarantined
    h.backends.httpOn(refusing, ex -> Backends.reply(ex, 200, "web.2 back"));

    HttpResponse<String> r = waiting.get(10, TimeUnit.SECONDS); // web.1 holds its request for 20 s
    assertEquals(200, r.statusCode());
    assertEquals("web.2 back", r.body());
    assertFalse(busy.isDone(), "web.1 never freed a slot");
  }

  @Test
  void aClientThatLeavesTheBacklogGetsH27AndLeavesNoTrace() throws Exception {
    h.front(s -> s.withLimits(1, 5));
    h.dyno("web.1", DynoState.UP, slowDyno());
    h.awaitUp(1);
    CompletableFuture<HttpResponse<String>> first = h.getAsync("/busy");
    FrontHarness.await(() -> h.routes().inFlight() == 1, "the dyno is busy");
    try (Socket s = h.connect()) {
      s.getOutputStream().write(("GET /impatient HTTP/1.1\r\nHost: shop.localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      FrontHarness.await(() -> h.routes().backlog().size() == 1, "it waits in the backlog");
    }
    String line = h.line();
    assertTrue(line.startsWith("sock=client at=warning code=H27 desc=\"Client Request Interrupted\" method=GET path=\"/impatient\""), line);
    assertTrue(line.contains(" status=499 "), line);
    assertEquals(0, h.routes().backlog().size());
    release.countDown();
    assertEquals(200, first.get(10, TimeUnit.SECONDS).statusCode());
    FrontHarness.await(() -> h.routes().inFlight() == 0, "the dyno's slot is back");
  }

  @Test
  void aClientThatDisconnectsBeforeItsResponseIsSentLeaksNoSlot() throws Exception {
    h.front(s -> s);
    CountDownLatch asked = new CountDownLatch(1);
    h.dyno("web.1", DynoState.UP, h.backends.http(ex -> {
      asked.countDown();
      Processes.sleep(300); // the client is gone by the time the answer comes
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        out.write("a streamed answer nobody reads".getBytes(StandardCharsets.UTF_8));
      }
    }));
    h.awaitUp(1);
    try (Socket s = h.connect()) {
      s.getOutputStream().write(("GET /gone HTTP/1.1\r\nHost: shop.localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      assertTrue(asked.await(10, TimeUnit.SECONDS));
    }
    String line = h.line();
    assertTrue(line.startsWith("sock=client at=warning code=H27"), line);
    assertTrue(line.contains(" dyno=web.1 "), line);
    FrontHarness.await(() -> h.routes().inFlight() == 0, "the slot comes back once the dyno has answered");
    assertEquals(200, h.backends.echo("x") > 0 ? 200 : 0);
  }

  @Test
  void requestsToADynoReuseTheirKeepAliveConnection() throws Exception {
    h.front(s -> s);
    Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    h.dyno("web.1", DynoState.UP, h.backends.http(ex -> {
      clientPorts.add(ex.getRemoteAddress().getPort());
      Backends.reply(ex, 200, "ok");
    }));
    h.awaitUp(1);
    for (int i = 0; i < 5; i++) {
      assertEquals(200, h.get("/" + i).statusCode());
    }
    assertEquals(1, clientPorts.size(), "one connection from the router to the dyno: " + clientPorts);
  }
}
