package io.manifold.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Everything {@link AcrossNodesTest} does, and then the loss of a node, with
 * {@code pekko.actor.serialize-messages = on}: every message an actor is sent, on its own node
 * too, is serialized and read back first, as if it crossed nodes. So a message type that could not
 * cross nodes (no Jackson binding, a field Jackson cannot read back) fails here wherever it is
 * sent, not only when sharding happens to place sender and receiver apart. Messages that never
 * leave their node say so ({@code NoSerializationVerificationNeeded}). Pekko's own messages are
 * not checked (they are under {@code no-serialization-verification-needed-class-prefix}).
 */
@Tag("cluster")
class AcrossNodesSerializedTest extends AcrossNodesTest {
  @Override
  Map<String, Object> config() {
    return Map.of(
        "pekko.actor.serialize-messages", "on",
        // Props hold behaviors (lambdas) and are never sent between nodes here
        "pekko.actor.serialize-creators", "off");
  }

  @Test
  @Order(10)
  void aNodeLossWithEveryMessageSerialized() throws Exception {
    Map<String, Integer> formation = formation();
    c.manifold.kill(3);
    awaitFormation(1, formation);
    assertFalse(processNodes().containsValue("node-3"), "nothing runs on the lost node: " + processNodes());
  }

  @Test
  @Order(11)
  void noMessageFailedToSerialize() {
    for (ManifoldNode n : c.manifold.nodes()) {
      if (!n.terminated()) {
        assertTrue(n.system().classicSystem().settings().SerializeAllMessages(), n.name() + " verifies messages");
      }
    }
    // the check can fail: a message with no serializer is caught, as Pekko logs it
    ActorRef<Object> canary = c.manifold.node(1).system().systemActorOf(
        Behaviors.receive(Object.class).onAnyMessage(m -> Behaviors.same()).build(), "serialization-canary", Props.empty());
    canary.tell(new Object() {});
    ClusterHarness.await("the canary's message is reported", Duration.ofSeconds(10),
        () -> c.errors().stream().anyMatch(e -> e.contains("serialization-canary") && e.contains("during message send")));

    // Pekko logs a message it could not serialize (and drops it): "swallowing exception during message send"
    List<String> failed = c.errors().stream()
        .filter(e -> !e.contains("serialization-canary"))
        .filter(e -> e.contains("during message send") || e.toLowerCase(Locale.ROOT).contains("serializ"))
        .toList();
    assertEquals(List.of(), failed, "every error: " + c.errors());
  }
}
