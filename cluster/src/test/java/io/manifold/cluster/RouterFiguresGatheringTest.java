package io.manifold.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.manifold.http.metrics.RouterStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A gathering of the nodes' router figures waits for each node at most the timeout, and names whom it left out. */
class RouterFiguresGatheringTest {
  static final ActorTestKit kit = ActorTestKit.create(ManualTime.config().withFallback(ConfigFactory.load()));
  static final ManualTime time = ManualTime.get(kit.system());
  static final Duration TIMEOUT = Duration.ofMillis(500);

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static RouterStats.Window window(String node, long requests) {
    return new RouterStats.Window(node, "shop", 1.0, requests, Map.of(), new double[] {0.1}, new long[] {requests, 0},
        requests, Map.of(), 0, 0);
  }

  /** A node's figures that answer at once. */
  static ActorRef<RouterFigures.Command> answering(String node, long requests) {
    return kit.spawn(Behaviors.receive(RouterFigures.Command.class)
        .onMessage(RouterFigures.Read.class, r -> {
          r.replyTo().tell(new RouterFigures.Reading(window(node, requests)));
          return Behaviors.same();
        }).build());
  }

  @Test
  void aNodeThatDoesNotAnswerWithinTheTimeoutIsLeftOutAndNamed() {
    TestProbe<RouterFigures.Command> silent = kit.createTestProbe();
    TestProbe<RouterFigures.Gathered> api = kit.createTestProbe();
    Map<String, ActorRef<RouterFigures.Command>> ask = new TreeMap<>(Map.of(
        "node-1", answering("node-1", 7), "node-2", silent.getRef(), "node-3", answering("node-3", 5)));
    kit.spawn(RouterFiguresGathering.create("shop", ask, Map.of("node-4", "unreachable"), TIMEOUT, api.getRef()));

    assertEquals("shop", silent.expectMessageClass(RouterFigures.Read.class).app(), "every node is asked");
    time.expectNoMessageFor(TIMEOUT.minusMillis(10), api);
    time.timePasses(Duration.ofMillis(20));
    RouterFigures.Gathered g = api.receiveMessage();
    assertEquals(List.of("node-1", "node-3"), g.windows().stream().map(RouterStats.Window::node).toList());
    assertEquals(Map.of("node-2", "no answer within 500 ms", "node-4", "unreachable"), g.missing(),
        "the silent node and the one known missing before");
  }

  @Test
  void everyNodeAnsweringEndsTheGatheringAtOnce() {
    TestProbe<RouterFigures.Gathered> api = kit.createTestProbe();
    kit.spawn(RouterFiguresGathering.create("shop", Map.of("node-1", answering("node-1", 3), "node-2", answering("node-2", 4)),
        Map.of(), TIMEOUT, api.getRef()));
    RouterFigures.Gathered g = api.receiveMessage(Duration.ofSeconds(3));
    assertEquals(7, RouterStats.merge("shop", g.windows()).requests());
    assertEquals(Map.of(), g.missing());
  }

  @Test
  void withNobodyToAskTheAnswerIsWhoIsMissing() {
    TestProbe<RouterFigures.Gathered> api = kit.createTestProbe();
    kit.spawn(RouterFiguresGathering.create("shop", Map.of(), Map.of("node-2", "down"), TIMEOUT, api.getRef()));
    RouterFigures.Gathered g = api.receiveMessage(Duration.ofSeconds(3));
    assertEquals(List.of(), g.windows());
    assertEquals(Map.of("node-2", "down"), g.missing());
  }
}
