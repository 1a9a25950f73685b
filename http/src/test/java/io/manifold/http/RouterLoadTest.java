package io.manifold.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.manifold.core.dyno.DynoState;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The router under concurrent load, for correctness only (speed is the benchmark's business, see
 * bench/): a few thousand requests, many at a time, each answered exactly once by the dyno the
 * policy picked, and each in the router's log and metrics exactly once. Bounded: {@link #REQUESTS}
 * requests, {@link #CONCURRENCY} in flight, every wait with a time-out.
 */
@ExtendWith(LogCapturingExtension.class)
class RouterLoadTest {
  static final int REQUESTS = 3_000;
  static final int CONCURRENCY = 32;
  static final int DYNOS = 3;

  static final ActorTestKit kit = ActorTestKit.create("router-load", ConfigFactory.load());

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private final FrontHarness h = new FrontHarness(kit);

  @AfterEach
  void close() throws Exception {
    h.close();
  }

  @Test
  void everyRequestGetsExactlyOneAnswerRoundRobinSpreadsThemEvenlyAndTheLogCountsThemAll() throws Exception {
    h.front(s -> s);
    List<AtomicInteger> served = new ArrayList<>();
    for (int d = 1; d <= DYNOS; d++) {
      AtomicInteger count = new AtomicInteger();
      served.add(count);
      String name = "web." + d;
      h.dyno(name, DynoState.UP, h.backends.http(ex -> {
        count.incrementAndGet();
        Backends.reply(ex, 200, name + " " + ex.getRequestURI().getPath());
      }));
    }
    h.awaitUp(DYNOS);

    // every response, by request number: a request answered twice, or not at all, shows here
    Map<Integer, List<String>> answers = new ConcurrentHashMap<>();
    Map<Integer, Throwable> failures = new ConcurrentHashMap<>();
    Semaphore inFlight = new Semaphore(CONCURRENCY);
    for (int i = 0; i < REQUESTS; i++) {
      assertTrue(inFlight.tryAcquire(60, TimeUnit.SECONDS), "a slot for request " + i);
      int id = i;
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.port + "/r/" + id))
          .timeout(Duration.ofSeconds(30)).header("Host", "shop.localhost:" + h.port).build();
      FrontHarness.client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, failure) -> {
        if (failure != null) {
          failures.put(id, failure);
        } else {
          answers.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(r.statusCode() + " " + r.body());
        }
        inFlight.release();
      });
    }
    assertTrue(inFlight.tryAcquire(CONCURRENCY, 60, TimeUnit.SECONDS), "every request finished");
    assertEquals(Map.of(), failures, "no request failed");

    Pattern answer = Pattern.compile("200 web\\.(\\d) /r/(\\d+)");
    for (int i = 0; i < REQUESTS; i++) {
      List<String> got = answers.get(i);
      assertTrue(got != null && got.size() == 1, "request " + i + " answered once: " + got);
      Matcher m = answer.matcher(got.get(0));
      assertTrue(m.matches() && Integer.parseInt(m.group(2)) == i, "request " + i + " got its own answer: " + got);
    }

    int sum = 0;
    for (int d = 0; d < DYNOS; d++) {
      int n = served.get(d).get();
      sum += n;
      assertTrue(Math.abs(n - REQUESTS / DYNOS) <= 1, "round-robin: web." + (d + 1) + " served " + n + " of " + REQUESTS);
    }
    assertEquals(REQUESTS, sum, "each request reached one dyno once");

    Set<String> logged = new HashSet<>();
    Pattern routerLine = Pattern.compile("at=info method=GET path=\"(/r/\\d+)\" .* dyno=web\\.\\d .* status=200 bytes=\\d+ protocol=http");
    for (int i = 0; i < REQUESTS; i++) {
      String line = h.logs.await(s -> s.startsWith("heroku[router]: "), Duration.ofSeconds(30)).message();
      Matcher m = routerLine.matcher(line);
      assertTrue(m.matches(), line);
      assertTrue(logged.add(m.group(1)), "logged once: " + line);
    }
    h.logs.collectFor(Duration.ofMillis(300));
    assertEquals(REQUESTS, h.logs.lines().stream().filter(l -> l.startsWith("heroku[router]: ")).count(),
        "one router line per request, no more");
    assertEquals((double) REQUESTS, h.node.snapshot().counter("manifold_router_requests",
        Map.of("app", "shop", "status", "200", "code", "")));
    FrontHarness.await(() -> h.routes().inFlight() == 0 && h.routes().backlog().size() == 0, "every slot given back");
  }
}
