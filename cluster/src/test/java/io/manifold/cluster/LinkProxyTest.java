package io.manifold.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node's link proxy on real sockets on 127.0.0.1, in front of a stand-in for the node's Artery
 * (an echo server, or a sink): what goes through arrives intact and in order, a link's delay shows
 * in both directions and goes when healed, and a slow link holds a bounded number of bytes.
 * Bounds are generous: these prove effects, not speed.
 */
class LinkProxyTest {
  private static final String HOST = "127.0.0.1";
  /** The node behind the proxy, and the node the test's connections come from. */
  private static final int NODE = 1;
  private static final int PEER = 2;
  private static final long PEER_UID = 4_711_000_000_017L;

  private final LinkDelays links = new LinkDelays();
  private final List<AutoCloseable> open = new java.util.concurrent.CopyOnWriteArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private LinkProxy proxyFor(Server node, int bound) {
    LinkProxy proxy = LinkProxy.open(HOST, NODE, links, bound);
    open.add(proxy);
    proxy.serve(node.port(), 99);
    links.register(PEER_UID, PEER);
    return proxy;
  }

  private void latency(Duration latency, Duration jitter) {
    links.set(PEER, NODE, latency, jitter);
    links.set(NODE, PEER, latency, jitter);
  }

  private Socket connect(LinkProxy proxy) throws IOException {
    Socket s = new Socket(HOST, proxy.port());
    s.setSoTimeout(30_000);
    s.setTcpNoDelay(true);
    open.add(s);
    return s;
  }

  @Test
  void bytesGoThroughIntactBothWays() throws Exception {
    Server echo = Server.echo();
    open.add(echo);
    LinkProxy proxy = proxyFor(echo, 256 * 1024);
    byte[] sent = new byte[3 * 1024 * 1024];
    new Random(7).nextBytes(sent);
    Socket s = connect(proxy);
    CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> write(s, sent));
    byte[] back = new byte[sent.length];
    new DataInputStream(s.getInputStream()).readFully(back);
    writing.get(30, TimeUnit.SECONDS);
    assertArrayEquals(sent, back);
    assertEquals(Set.of(), proxy.peers(), "not Artery: nobody it could be delayed for");
  }

  @Test
  void aLinksLatencyShowsEachWayInOrderAndAHealTakesItAway() throws Exception {
    Server echo = Server.echo();
    open.add(echo);
    LinkProxy proxy = proxyFor(echo, 256 * 1024);
    Socket s = connect(proxy);
    OutputStream out = s.getOutputStream();
    DataInputStream in = new DataInputStream(s.getInputStream());
    Duration latency = Duration.ofMillis(500);
    latency(latency, Duration.ZERO);

    byte[] first = ArteryOriginTest.firstFrame("PEKK", PEER_UID);
    long t0 = System.nanoTime();
    out.write(first);
    in.readFully(new byte[first.length]);
    long roundTrip = System.nanoTime() - t0;
    assertTrue(roundTrip >= 2 * latency.toNanos(), "a round trip over the slow link took " + roundTrip / 1_000_000 + " ms");
    assertEquals(Set.of(PEER), proxy.peers(), "the connection's first frame told where it came from");

    // a jitter as large as the latency: chunks drawn shorter never overtake those ahead of them
    latency(Duration.ofMillis(60), Duration.ofMillis(60));
    int messages = 200;
    CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
      try {
        for (int i = 0; i < messages; i++) {
          out.write(new byte[] {(byte) (i >> 8), (byte) i});
          if (i % 20 == 0) {
            Thread.sleep(5); // several chunks, not one
          }
        }
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    for (int i = 0; i < messages; i++) {
      assertEquals(i, in.readUnsignedShort(), "message " + i + " in its place");
    }
    writing.get(30, TimeUnit.SECONDS);

    latency(Duration.ZERO, Duration.ZERO);
    long t1 = System.nanoTime();
    out.write(42);
    assertEquals(42, in.read());
    long healed = System.nanoTime() - t1;
    assertTrue(healed < 2 * latency.toNanos(), "healed, a round trip took " + healed / 1_000_000 + " ms");
    System.out.printf("[RESULT] link proxy round trip: %d ms with 500 ms each way, %.1f ms healed%n", roundTrip / 1_000_000, healed / 1e6);
  }

  @Test
  void aSlowLinkHoldsAtMostItsBoundAndTheSenderWaits() throws Exception {
    Server sink = Server.sink();
    open.add(sink);
    int bound = 64 * 1024;
    LinkProxy proxy = proxyFor(sink, bound);
    latency(Duration.ofSeconds(2), Duration.ZERO);
    Socket s = connect(proxy);
    byte[] first = ArteryOriginTest.firstFrame("PEKK", PEER_UID);
    // more than the socket buffers on both sides of the proxy can take
    int total = 48 * 1024 * 1024;
    AtomicLong written = new AtomicLong();
    CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
      try {
        OutputStream out = s.getOutputStream();
        out.write(first);
        byte[] block = new byte[16 * 1024];
        for (int at = 0; at < total; at += block.length) {
          for (int i = 0; i < block.length; i++) {
            block[i] = pattern(at + i);
          }
          out.write(block);
          written.addAndGet(block.length);
        }
        s.shutdownOutput();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    long most = 0;
    for (int i = 0; i < 50; i++) {
      most = Math.max(most, proxy.heldBytes());
      Thread.sleep(20);
    }
    assertTrue(most > 0, "the slow link held bytes back");
    assertTrue(most <= bound, "held at most the bound: " + most);
    assertTrue(written.get() < total, "the sender waited: it wrote " + written.get() + " of " + total + " bytes in a second");

    latency(Duration.ZERO, Duration.ZERO);
    writing.get(60, TimeUnit.SECONDS);
    Received got = sink.awaitClosed(Duration.ofSeconds(60));
    CRC32 expected = new CRC32();
    expected.update(first);
    byte[] block = new byte[16 * 1024];
    for (int at = 0; at < total; at += block.length) {
      for (int i = 0; i < block.length; i++) {
        block[i] = pattern(at + i);
      }
      expected.update(block);
    }
    assertEquals(new Received(first.length + total, expected.getValue()), got, "every byte arrived, in order, once the link was healed");
  }

  private static byte pattern(int i) {
    return (byte) (i % 251);
  }

  private static void write(Socket s, byte[] bytes) {
    try {
      s.getOutputStream().write(bytes);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A stand-in for a node's Artery: one connection at a time, echoed back or kept. */
  private record Received(long bytes, long crc) {}

  private static final class Server implements AutoCloseable {
    private final ServerSocket socket;
    private final CompletableFuture<Received> kept = new CompletableFuture<>();

    private Server(boolean echo) throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getByName(HOST));
      Thread t = new Thread(() -> serve(echo), "test-server");
      t.setDaemon(true);
      t.start();
    }

    static Server echo() throws IOException {
      return new Server(true);
    }

    static Server sink() throws IOException {
      return new Server(false);
    }

    int port() {
      return socket.getLocalPort();
    }

    private void serve(boolean echo) {
      try (Socket s = socket.accept()) {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        CRC32 crc = new CRC32();
        long bytes = 0;
        byte[] buffer = new byte[32 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
          if (echo) {
            out.write(buffer, 0, n);
          } else {
            crc.update(buffer, 0, n);
            bytes += n;
          }
        }
        kept.complete(new Received(bytes, crc.getValue()));
      } catch (IOException e) {
        kept.completeExceptionally(e);
      }
    }

    /** What the one connection carried, once its sender closed it. */
    Received awaitClosed(Duration within) throws Exception {
      return kept.get(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
