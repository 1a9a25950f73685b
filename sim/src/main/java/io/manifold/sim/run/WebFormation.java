package io.manifold.sim.run;

import io.manifold.core.CborSerializable;
import io.manifold.core.dyno.Dyno;
import io.manifold.core.dyno.DynoName;
import io.manifold.core.dyno.DynoSettings;
import io.manifold.core.dyno.DynoSpec;
import io.manifold.core.dyno.DynoState;
import io.manifold.core.dyno.DynoStatus;
import io.manifold.core.logs.LogChannel;
import io.manifold.core.routing.Router;
import io.manifold.sim.runtime.SyntheticRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The web dynos of a simulated app: N core {@link Dyno} actors ({@code web.1 .. web.N}) on
 * synthetic runtimes, whose every state change goes on to the router, as the core {@code App}
 * does with its dynos. A study needs more web dynos than the {@code App}'s bound of 100 per process
 * type (Heroku's default limit), and none of its releases or config vars, hence this.
 *
 * <p>Nodes are modelled, since real Artery cannot run in virtual time: dyno i runs on node
 * (i - 1) mod M, each node a {@link SyntheticRuntime} of its own. {@link KillNode} powers one off:
 * its dynos die with their requests and report nothing, so the routers keep sending to them (H21)
 * until the loss is detected, {@code detection} later (the failure detector, the Split Brain
 * Resolver and the shard hand-off of a real cluster; STACK.md measured 7.5 to 12 s). Then they are
 * reported down and started again on the surviving nodes, in turn.
 */
public final class WebFormation extends AbstractBehavior<WebFormation.Command> {
  /** Bound on a simulated formation: each dyno is an actor and a route in every router's table. */
  public static final int MAX_DYNOS = 10_000;

  public sealed interface Command extends CborSerializable {}

  /** Node {@code node} (0-based) goes down at once. */
  public record KillNode(int node) implements Command {}

  private record Changed(int generation, DynoStatus status) implements Command, NoSerializationVerificationNeeded {}

  private record Detected(int node) implements Command, NoSerializationVerificationNeeded {}

  /** Where a dyno runs now; {@code generation} tells its status from a replaced one's. */
  private record Placement(int node, int generation, ActorRef<Dyno.Command> dyno, ActorRef<DynoStatus> relay, DynoStatus last) {}

  private final String app;
  private final List<SyntheticRuntime> nodes;
  private final boolean[] down;
  private final DynoSettings settings;
  private final ActorRef<LogChannel.Command> logs;
  private final ActorRef<Router.Command> router;
  private final Duration detection;
  private final TimerScheduler<Command> timers;
  private final Map<DynoName, Placement> placed = new TreeMap<>();
  private int generations;
  private int nextNode;

  /** One node. */
  public static Behavior<Command> create(
      String app, int dynos, SyntheticRuntime runtime, DynoSettings settings,
      ActorRef<LogChannel.Command> logs, ActorRef<Router.Command> router) {
    return create(app, dynos, List.of(runtime), Duration.ofSeconds(10), settings, logs, router);
  }

  /**
   * @param nodes one runtime per node, each naming its endpoints after its node
   * @param detection from a node's loss until its dynos are started elsewhere
   */
  public static Behavior<Command> create(
      String app, int dynos, List<SyntheticRuntime> nodes, Duration detection, DynoSettings settings,
      ActorRef<LogChannel.Command> logs, ActorRef<Router.Command> router) {
    if (dynos < 0 || dynos > MAX_DYNOS) {
      throw new IllegalArgumentException("web dynos must be between 0 and " + MAX_DYNOS + ", not " + dynos);
    }
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("at least one node");
    }
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new WebFormation(ctx, timers, app, dynos, nodes, detection, settings, logs, router)));
  }

  private WebFormation(ActorContext<Command> ctx, TimerScheduler<Command> timers, String app, int dynos,
      List<SyntheticRuntime> nodes, Duration detection, DynoSettings settings,
      ActorRef<LogChannel.Command> logs, ActorRef<Router.Command> router) {
    super(ctx);
    this.timers = timers;
    this.app = app;
    this.nodes = List.copyOf(nodes);
    this.down = new boolean[nodes.size()];
    this.detection = detection;
    this.settings = settings;
    this.logs = logs;
    this.router = router;
    router.tell(new Router.RegisterApp(app, logs));
    for (int i = 1; i <= dynos; i++) {
      place(new DynoName("web", i), (i - 1) % nodes.size());
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Changed.class, this::onChanged)
        .onMessage(KillNode.class, this::onKillNode)
        .onMessage(Detected.class, this::onDetected)
        .build();
  }

  /** Starts {@code name} on {@code node}; its statuses come through a relay that tags them with a generation. */
  private void place(DynoName name, int node) {
    int generation = ++generations;
    ActorRef<Command> self = getContext().getSelf();
    ActorRef<DynoStatus> relay = getContext().spawn(Behaviors.receive(DynoStatus.class)
        .onMessage(DynoStatus.class, s -> {
          self.tell(new Changed(generation, s));
          return Behaviors.same();
        })
        .build(), "status-" + name + "-" + generation);
    DynoSpec spec = new DynoSpec(app, name, "synthetic", Map.of("DYNO", name.toString()), 1, Path.of("."));
    ActorRef<Dyno.Command> dyno = getContext().spawn(Dyno.create(spec, nodes.get(node), settings, logs, relay), name + "-" + generation);
    placed.put(name, new Placement(node, generation, dyno, relay, null));
  }

  private Behavior<Command> onChanged(Changed m) {
    Placement p = placed.get(m.status().name());
    if (p != null && p.generation() == m.generation()) {
      placed.put(m.status().name(), new Placement(p.node(), p.generation(), p.dyno(), p.relay(), m.status()));
      router.tell(new Router.DynoChanged(m.status()));
    }
    return this; // a replaced incarnation's news is old news
  }

  private Behavior<Command> onKillNode(KillNode m) {
    if (m.node() < 0 || m.node() >= nodes.size() || down[m.node()]) {
      return this;
    }
    down[m.node()] = true;
    nodes.get(m.node()).powerOff();
    timers.startSingleTimer(m, new Detected(m.node()), detection);
    return this;
  }

  private Behavior<Command> onDetected(Detected m) {
    List<DynoName> lost = new ArrayList<>();
    placed.forEach((name, p) -> {
      if (p.node() == m.node()) {
        lost.add(name);
      }
    });
    for (DynoName name : lost) {
      Placement p = placed.remove(name);
      getContext().stop(p.dyno());
      getContext().stop(p.relay());
      DynoStatus last = p.last();
      if (last != null) {
        router.tell(new Router.DynoChanged(new DynoStatus(app, name, DynoState.DOWN, settings.clock().instant(), null, last.release(), last.command())));
      }
      int node = nextLiveNode();
      if (node >= 0) {
        place(name, node);
      }
    }
    return this;
  }

  /** The surviving nodes in turn; -1 when none is left. */
  private int nextLiveNode() {
    for (int tries = 0; tries < nodes.size(); tries++) {
      int n = nextNode++ % nodes.size();
      if (!down[n]) {
        return n;
      }
    }
    return -1;
  }
}
