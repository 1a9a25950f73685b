package io.manifold.cluster;

import io.manifold.http.metrics.RouterStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One gathering of the nodes' router figures for an app (the aggregator pattern): asks each node,
 * each ask bounded by the timeout, and once every node has answered or timed out, replies with
 * the windows that came and the nodes that did not, and stops. So a lost or slow node costs the
 * console at most the timeout, and the answer says whose figures are left out.
 */
final class RouterFiguresGathering {
  private RouterFiguresGathering() {}

  sealed interface Command {}

  /** A node's answer, or its failure to answer in time (window null); never leaves the node. */
  private record Answered(String node, RouterStats.Window window) implements Command, NoSerializationVerificationNeeded {}

  /**
   * @param ask the nodes to ask, by name
   * @param missing the nodes already known to be missing, with why (unreachable, ...)
   */
  static Behavior<Command> create(String app, Map<String, ActorRef<RouterFigures.Command>> ask, Map<String, String> missing,
      Duration timeout, ActorRef<RouterFigures.Gathered> replyTo) {
    return Behaviors.setup(ctx -> {
      Map<String, RouterStats.Window> windows = new TreeMap<>();
      Map<String, String> left = new TreeMap<>(missing);
      if (ask.isEmpty()) {
        replyTo.tell(new RouterFigures.Gathered(List.of(), left));
        return Behaviors.stopped();
      }
      ask.forEach((node, ref) -> ctx.ask(RouterFigures.Reading.class, ref, timeout,
          r -> new RouterFigures.Read(app, r),
          (reading, failure) -> new Answered(node, reading == null ? null : reading.window())));
      Set<String> waiting = new TreeSet<>(ask.keySet());
      return Behaviors.receive(Command.class)
          .onMessage(Answered.class, a -> {
            waiting.remove(a.node());
            if (a.window() == null) {
              left.put(a.node(), "no answer within " + timeout.toMillis() + " ms");
            } else {
              windows.put(a.node(), a.window());
            }
            if (!waiting.isEmpty()) {
              return Behaviors.same();
            }
            replyTo.tell(new RouterFigures.Gathered(new ArrayList<>(windows.values()), left));
            return Behaviors.stopped();
          })
          .build();
    });
  }
}
