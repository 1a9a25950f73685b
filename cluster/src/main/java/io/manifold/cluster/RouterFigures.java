package io.manifold.cluster;

import io.manifold.core.CborSerializable;
import io.manifold.http.metrics.RouterReadings;
import io.manifold.http.metrics.RouterStats;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The router figures of the whole manifold, for the console: each node's router counts only the
 * requests that went through it, so each node runs one of these, registered with the
 * Receptionist. It answers other nodes' {@link Read}s with its own router's window, and gathers
 * every node's for its own API ({@link Gather}): a {@link RouterFiguresGathering} asks each
 * reachable member's, each ask bounded by the timeout. A member that is unreachable or down, has
 * no figures registered yet, or does not answer in time is named as missing rather than waited
 * for.
 */
final class RouterFigures {
  static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "router-figures");

  private RouterFigures() {}

  sealed interface Command extends CborSerializable {}

  /** Another node asks for this node's window for the app. */
  record Read(String app, ActorRef<Reading> replyTo) implements Command {}

  /** One node's answer to {@link Read}. */
  record Reading(RouterStats.Window window) implements CborSerializable {}

  /** This node's API asks for every node's window for the app. */
  record Gather(String app, ActorRef<Gathered> replyTo) implements Command, NoSerializationVerificationNeeded {}

  /** The answer to {@link Gather}; it never leaves the node. */
  record Gathered(List<RouterStats.Window> windows, Map<String, String> missing) implements NoSerializationVerificationNeeded {}

  /** The figures the Receptionist knows of now. */
  private record Listed(Set<ActorRef<Command>> figures) implements Command, NoSerializationVerificationNeeded {}

  /** @param timeout how long each other node gets to answer a gathering */
  static Behavior<Command> create(RouterStats stats, Duration timeout) {
    return Behaviors.setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
      ActorRef<Receptionist.Listing> listings = ctx.messageAdapter(Receptionist.Listing.class, l -> new Listed(l.getServiceInstances(KEY)));
      ctx.getSystem().receptionist().tell(Receptionist.subscribe(KEY, listings));
      return listening(ctx, stats, timeout, Set.of());
    });
  }

  private static Behavior<Command> listening(
      ActorContext<Command> ctx, RouterStats stats, Duration timeout, Set<ActorRef<Command>> known) {
    return Behaviors.receive(Command.class)
        .onMessage(Listed.class, m -> listening(ctx, stats, timeout, Set.copyOf(m.figures())))
        .onMessage(Read.class, m -> {
          m.replyTo().tell(new Reading(stats.window(m.app())));
          return Behaviors.same();
        })
        .onMessage(Gather.class, m -> {
          gather(ctx, m, known, timeout);
          return Behaviors.same();
        })
        .build();
  }

  /** Asks every reachable member's figures; names the others as missing at once. */
  private static void gather(ActorContext<Command> ctx, Gather m, Set<ActorRef<Command>> known, Duration timeout) {
    var state = Cluster.get(ctx.getSystem()).state();
    Member self = Cluster.get(ctx.getSystem()).selfMember();
    Set<Member> unreachable = new HashSet<>();
    state.getUnreachable().forEach(unreachable::add);
    Map<Address, Member> byAddress = new HashMap<>();
    state.getMembers().forEach(member -> byAddress.put(member.address(), member));
    Map<String, ActorRef<Command>> ask = new TreeMap<>();
    Map<String, String> missing = new TreeMap<>();
    for (ActorRef<Command> ref : known) {
      Address at = ref.path().address();
      Member member = at.hasLocalScope() ? self : byAddress.get(at);
      if (member == null) {
        continue; // a node already removed, still in the listing for a moment
      } else if (unreachable.contains(member)) {
        missing.put(Members.name(member), "unreachable");
      } else if (member.status() == MemberStatus.down()) {
        missing.put(Members.name(member), "down");
      } else {
        ask.put(Members.name(member), ref);
      }
    }
    // the Receptionist's list reaches a node by gossip, a second or two after another joined
    state.getMembers().forEach(member -> missing.putIfAbsent(Members.name(member), "not known to this node yet"));
    ask.keySet().forEach(missing::remove);
    ctx.spawnAnonymous(RouterFiguresGathering.create(m.app(), ask, missing, timeout, m.replyTo()));
  }

  /** What a node's API reads the figures through: a {@link Gather} to its node's figures. */
  static RouterReadings readings(ActorRef<Command> figures, Scheduler scheduler, Duration timeout) {
    Duration margin = timeout.plusSeconds(2); // each node's ask is bounded by timeout already
    return app -> AskPattern.<Command, Gathered>ask(figures, replyTo -> new Gather(app, replyTo), margin, scheduler)
        .thenApply(g -> new RouterReadings.Gathered(g.windows(), g.missing()));
  }
}
