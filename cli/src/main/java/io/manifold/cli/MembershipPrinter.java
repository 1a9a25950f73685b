package io.manifold.cli;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * The cluster's membership as a {@code manifold node} sees it, one line per change, with the
 * time: a node up, unreachable, reachable again, downed, removed. So that the terminal shows what
 * happens when a node is lost (and when, to the millisecond).
 */
final class MembershipPrinter {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private MembershipPrinter() {}

  static Behavior<ClusterEvent.ClusterDomainEvent> create(PrintStream out) {
    return Behaviors.setup(ctx -> {
      Cluster cluster = Cluster.get(ctx.getSystem());
      cluster.subscriptions().tell(Subscribe.create(ctx.getSelf().narrow(), ClusterEvent.MemberEvent.class));
      cluster.subscriptions().tell(Subscribe.create(ctx.getSelf().narrow(), ClusterEvent.ReachabilityEvent.class));
      Address self = cluster.selfMember().address();
      return Behaviors.receive(ClusterEvent.ClusterDomainEvent.class)
          .onMessage(ClusterEvent.MemberUp.class, e -> print(out, self, e.member(), "is up"))
          .onMessage(ClusterEvent.UnreachableMember.class, e -> print(out, self, e.member(), "is unreachable"))
          .onMessage(ClusterEvent.ReachableMember.class, e -> print(out, self, e.member(), "is reachable again"))
          .onMessage(ClusterEvent.MemberDowned.class, e -> print(out, self, e.member(), "is downed"))
          .onMessage(ClusterEvent.MemberRemoved.class, e -> print(out, self, e.member(), "is removed from the cluster"))
          .onMessage(ClusterEvent.MemberLeft.class, e -> print(out, self, e.member(), "is leaving"))
          .onAnyMessage(e -> Behaviors.same())
          .build();
    });
  }

  private static Behavior<ClusterEvent.ClusterDomainEvent> print(PrintStream out, Address self, Member member, String what) {
    Address a = member.address();
    String who = a.equals(self) ? "this node" : "node " + a.host().get() + ":" + a.port().get();
    out.println("manifold: " + LocalTime.now().format(TIME) + " " + who + " " + what);
    out.flush();
    return Behaviors.same();
  }
}
