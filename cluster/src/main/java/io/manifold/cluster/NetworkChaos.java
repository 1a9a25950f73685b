package io.manifold.cluster;

import java.time.Duration;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.remote.RemoteActorRefProvider;
import org.apache.pekko.remote.transport.ThrottlerTransportAdapter;

/**
 * Partitions between nodes, through Artery's test mode (on in manifold-cluster.conf): a node
 * drops everything it would send to a peer and everything it receives from it, heartbeats
 * included. Used by the fault hooks; a partition is two such blackholes, one on each side. A
 * command takes effect before it returns (Artery's stages read the shared test state on every
 * message).
 */
final class NetworkChaos {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private NetworkChaos() {}

  @SuppressWarnings("deprecation") // the adapter class is tagged deprecated (classic remoting), but Artery reads its commands
  static void blackhole(ActorSystem<?> system, Address peer) {
    command(system, peer, ThrottlerTransportAdapter.blackholeThrottleMode());
  }

  /** Drops only what this node sends to the peer: one direction of a partition. */
  @SuppressWarnings("deprecation")
  static void blackholeSend(ActorSystem<?> system, Address peer) {
    command(system, peer, ThrottlerTransportAdapter.blackholeThrottleMode(), ThrottlerTransportAdapter.sendDirection());
  }

  @SuppressWarnings("deprecation")
  static void heal(ActorSystem<?> system, Address peer) {
    command(system, peer, ThrottlerTransportAdapter.unthrottledThrottleMode());
  }

  /**
   * Whether this node can cut links: Artery only installs the stages that drop messages when its
   * test mode is on, and without them a blackhole is accepted and silently does nothing.
   */
  static boolean available(ActorSystem<?> system) {
    return system.settings().config().getBoolean("pekko.remote.artery.advanced.test-mode");
  }

  @SuppressWarnings("deprecation")
  private static void command(ActorSystem<?> system, Address peer, ThrottlerTransportAdapter.ThrottleMode mode) {
    command(system, peer, mode, ThrottlerTransportAdapter.bothDirection());
  }

  @SuppressWarnings("deprecation")
  private static void command(
      ActorSystem<?> system, Address peer, ThrottlerTransportAdapter.ThrottleMode mode, ThrottlerTransportAdapter.Direction direction) {
    if (!available(system)) {
      throw new IllegalStateException("cannot change the link to " + peer
          + ": partitions need pekko.remote.artery.advanced.test-mode = on (Manifold's default), which this node has off");
    }
    var classic = (ExtendedActorSystem) Adapter.toClassic(system);
    var transport = ((RemoteActorRefProvider) classic.provider()).transport();
    try {
      scala.concurrent.Await.result(
          transport.managementCommand(new ThrottlerTransportAdapter.SetThrottle(peer, direction, mode)),
          scala.concurrent.duration.Duration.create(TIMEOUT.toMillis(), "ms"));
    } catch (Exception e) {
      throw new IllegalStateException("could not change the link to " + peer + ": " + e.getMessage(), e);
    }
  }
}
