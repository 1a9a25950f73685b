package io.manifold.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * One connection through a node's {@link LinkProxy}: from a peer (another node's Artery, which
 * opened it) to this node's Artery, two {@link DelayLine}s on two threads. The forward line reads
 * the peer's first frame to learn which node it is ({@link ArteryOrigin}); until then, or if it
 * never tells, nothing is delayed. The forward line is delayed by the link peer to node, the back
 * line by node to peer (Artery sends nothing back on a connection it did not open, but what there
 * is goes through the same way).
 */
final class LinkRelay {
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  private final Socket peerSide;
  private final Socket nodeSide = new Socket();
  private final int node;
  private final LinkDelays links;
  private final ArteryOrigin origin = new ArteryOrigin();
  private volatile long peerUid;
  private volatile boolean peerKnown;
  private volatile int peer = LinkDelays.UNKNOWN;
  private final DelayLine forward;
  private final DelayLine back;
  private final AtomicInteger linesRunning = new AtomicInteger(2);
  private final Consumer<LinkRelay> onClosed;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Thread forwardThread;
  private volatile Thread backThread;

  LinkRelay(Socket peerSide, int node, LinkDelays links, int bound, Consumer<LinkRelay> onClosed) {
    this.peerSide = peerSide;
    this.node = node;
    this.links = links;
    this.onClosed = onClosed;
    this.forward = new DelayLine(peerSide, nodeSide, () -> links.draw(peer(), node), this::sniff, bound);
    this.back = new DelayLine(nodeSide, peerSide, () -> links.draw(node, peer()), null, bound);
  }

  /** Connects to the node's Artery on {@code port}, then relays both ways; on a thread of its own. */
  void start(String host, IntSupplier port) {
    Thread t = thread(() -> {
      try {
        nodeSide.connect(new InetSocketAddress(host, port.getAsInt()), CONNECT_TIMEOUT_MILLIS);
        nodeSide.setTcpNoDelay(true);
        peerSide.setTcpNoDelay(true);
      } catch (IOException | RuntimeException e) {
        close();
        return;
      }
      backThread = thread(() -> runLine(back), "link-" + node + "-back");
      backThread.start();
      runLine(forward);
    }, "link-" + node + "-forward");
    forwardThread = t;
    t.start();
  }

  private static Thread thread(Runnable r, String name) {
    // a relay's threads only copy bytes: a small stack is plenty
    Thread t = new Thread(null, r, name, 256 * 1024);
    t.setDaemon(true);
    return t;
  }

  private void runLine(DelayLine line) {
    boolean clean = line.pump();
    // a side that closed its output was passed on as such, and the other line goes on until that
    // side closes too (Artery's inbound end does so at once); a broken side ends both
    if (!clean || linesRunning.decrementAndGet() == 0) {
      close();
    }
  }

  private void sniff(byte[] bytes, int offset, int length) {
    if (origin.state() == ArteryOrigin.State.READING && origin.feed(bytes, offset, length) == ArteryOrigin.State.KNOWN) {
      peerUid = origin.uid();
      peerKnown = true;
    }
  }

  /** The node that opened this connection, or {@link LinkDelays#UNKNOWN}; looked up until found. */
  int peer() {
    int p = peer;
    if (p == LinkDelays.UNKNOWN && peerKnown) {
      p = links.nodeOf(peerUid);
      peer = p;
    }
    return p;
  }

  int heldBytes() {
    return forward.heldBytes() + back.heldBytes();
  }

  /** Closes both sides at once (what is held is lost, as with a cut cable); idempotent. */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    quietly(peerSide);
    quietly(nodeSide);
    Thread f = forwardThread;
    Thread b = backThread;
    if (f != null && f != Thread.currentThread()) {
      f.interrupt();
    }
    if (b != null && b != Thread.currentThread()) {
      b.interrupt();
    }
    onClosed.accept(this);
  }

  private static void quietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing: nothing to do about it
    }
  }
}
