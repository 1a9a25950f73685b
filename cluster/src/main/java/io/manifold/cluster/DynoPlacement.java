package io.manifold.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import org.apache.pekko.dispatch.Futures;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;

/**
 * Where a new dyno runs: on the node that runs the fewest dynos of its app, then the fewest dynos
 * of all, so that an app's dynos spread over the nodes as Heroku spreads them over its runtime
 * instances, and the loss of one node takes as few of any app's dynos as it can. Each dyno is a
 * shard of its own ({@link DynoShards}), so the choice is per dyno.
 *
 * <p>Only nodes that are Up and reachable get dynos while there are any; a running dyno is never
 * moved to balance the nodes ({@link #rebalance} moves nothing): moving one means stopping and
 * starting it, and Heroku does not restart dynos to balance its hosts. A node that joins gets
 * dynos as they start: a scale-up, a deploy's new dynos, the dynos of a node that is lost.
 */
final class DynoPlacement extends ShardCoordinator.AbstractShardAllocationStrategy {
  private final Cluster cluster;

  DynoPlacement(Cluster cluster) {
    this.cluster = cluster;
  }

  @Override
  public Future<ActorRef> allocateShard(ActorRef requester, String shardId, Map<ActorRef, IndexedSeq<String>> current) {
    return Futures.successful(current.isEmpty() ? requester : choose(shardId, current));
  }

  ActorRef choose(String shardId, Map<ActorRef, IndexedSeq<String>> current) {
    String app = DynoShards.app(shardId);
    List<ActorRef> candidates = new ArrayList<>();
    Set<Address> serving = serving();
    for (ActorRef region : current.keySet()) {
      if (serving.contains(address(region))) {
        candidates.add(region);
      }
    }
    if (candidates.isEmpty()) {
      // a cluster whose members the coordinator knows better than this view: any region will do
      candidates.addAll(current.keySet());
    }
    Map<ActorRef, Integer> ofApp = new HashMap<>();
    for (ActorRef region : candidates) {
      IndexedSeq<String> shards = current.get(region);
      int n = 0;
      for (int i = 0; i < shards.size(); i++) {
        if (DynoShards.app(shards.apply(i)).equals(app)) {
          n++;
        }
      }
      ofApp.put(region, n);
    }
    return candidates.stream()
        .min(Comparator.<ActorRef>comparingInt(ofApp::get)
            .thenComparingInt(r -> current.get(r).size())
            .thenComparing(r -> address(r).toString()))
        .orElseThrow();
  }

  @Override
  public Future<Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> current, Set<String> inProgress) {
    return Futures.successful(Set.of());
  }

  /** Members that are Up and that no node sees as unreachable. */
  private Set<Address> serving() {
    Set<Address> unreachable = new HashSet<>();
    for (Member m : cluster.state().getUnreachable()) {
      unreachable.add(m.address());
    }
    Set<Address> up = new HashSet<>();
    for (Member m : cluster.state().getMembers()) {
      if (m.status() == MemberStatus.up() && !unreachable.contains(m.address())) {
        up.add(m.address());
      }
    }
    return up;
  }

  /** A region's node: the local region's path has no host, it is this node's. */
  private Address address(ActorRef region) {
    Address a = region.path().address();
    return a.hasGlobalScope() ? a : cluster.selfAddress();
  }
}
