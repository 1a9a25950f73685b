package io.manifold.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The network in front of one node of a local manifold, so that links between nodes can be slow:
 * the node's Artery listens on a port of its own ({@code bind.port}) and tells the cluster this
 * proxy's port as its address ({@code canonical.port}), so every other node's connections to it
 * come through here, and each byte they carry is held back by the delay of its link in
 * {@link LinkDelays} (a {@link LinkRelay} per connection). Off by default
 * ({@code manifold.cluster.link-proxies}): a run without link faults pays nothing.
 *
 * <p>Bounded: at most {@link #MAX_CONNECTIONS} connections at once (Artery opens up to three to a
 * node per peer: control, ordinary, large messages), beyond which a connection is closed at once;
 * two threads per connection and one that accepts; at most {@code bound} bytes held per direction
 * of a connection, beyond which it stops reading (TCP back-pressure).
 */
final class LinkProxy implements AutoCloseable {
  static final int MAX_CONNECTIONS = 64;
  /** How long a connection that comes before the node's Artery has bound waits for it. */
  private static final long TARGET_WAIT_SECONDS = 30;

  private final int node;
  private final String host;
  private final LinkDelays links;
  private final int bound;
  private final ServerSocket server;
  private final CompletableFuture<Integer> target = new CompletableFuture<>();
  private final Set<LinkRelay> relays = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private LinkProxy(int node, String host, LinkDelays links, int bound, ServerSocket server) {
    this.node = node;
    this.host = host;
    this.links = links;
    this.bound = bound;
    this.server = server;
  }

  /**
   * Listens on a free port of {@code host} for the connections to node {@code node}; they are
   * relayed once {@link #serve} says where the node's Artery listens.
   *
   * @param bound the most bytes held per direction of a connection
   */
  static LinkProxy open(String host, int node, LinkDelays links, int bound) {
    try {
      ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName(host));
      LinkProxy proxy = new LinkProxy(node, host, links, bound, server);
      Thread acceptor = new Thread(null, proxy::accept, "link-proxy-node-" + node, 256 * 1024);
      acceptor.setDaemon(true);
      acceptor.start();
      return proxy;
    } catch (IOException e) {
      throw new IllegalStateException("could not open a link proxy for node " + node + " on " + host + ": " + e.getMessage(), e);
    }
  }

  /** The port the other nodes reach this node at: the node's canonical Artery port. */
  int port() {
    return server.getLocalPort();
  }

  int node() {
    return node;
  }

  /**
   * The node's actor system has started: its Artery listens on {@code arteryPort} (connections
   * accepted before this wait for it), and its envelopes carry {@code uid}.
   */
  void serve(int arteryPort, long uid) {
    links.register(uid, node);
    target.complete(arteryPort);
  }

  /** The nodes that connections through this proxy came from, as far as they are known now. */
  Set<Integer> peers() {
    Set<Integer> peers = new TreeSet<>();
    for (LinkRelay r : relays) {
      int p = r.peer();
      if (p != LinkDelays.UNKNOWN) {
        peers.add(p);
      }
    }
    return peers;
  }

  /** Bytes held back now, over every connection and direction. */
  long heldBytes() {
    long n = 0;
    for (LinkRelay r : relays) {
      n += r.heldBytes();
    }
    return n;
  }

  int connections() {
    return relays.size();
  }

  private void accept() {
    while (!closed) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (relays.size() >= MAX_CONNECTIONS) {
        closeQuietly(s);
        continue;
      }
      LinkRelay relay = new LinkRelay(s, node, links, bound, relays::remove);
      relays.add(relay);
      if (closed) {
        relay.close();
        return;
      }
      relay.start(host, this::awaitTarget);
    }
  }

  private int awaitTarget() {
    try {
      return target.get(TARGET_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("node " + node + "'s Artery port never came", e);
    }
  }

  /** Stops accepting and cuts every connection (what is held back is lost, as with a dead machine). */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    target.completeExceptionally(new IllegalStateException("closed"));
    for (LinkRelay r : relays) {
      r.close();
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // refused anyway
    }
  }
}
