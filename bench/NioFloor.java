import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Not a product: the benchmark's reference for what a JVM costs per proxied request on this
 * machine, to tell the cost of the JVM from the cost of an architecture. A reverse proxy in one
 * thread on one selector, keep-alive on both sides, round-robin over the backends, for GET
 * requests without a body and responses with a {@code Content-Length} only; it does none of what
 * makes Manifold's router Heroku's (headers, time-outs, limits, H-codes, log lines, metrics).
 *
 * <pre>java bench/NioFloor.java LISTEN_PORT BACKEND_PORT...</pre>
 */
public final class NioFloor {
  private static final int BUFFER = 64 * 1024;

  public static void main(String[] args) throws IOException {
    int[] backends = new int[args.length - 1];
    for (int i = 1; i < args.length; i++) {
      backends[i - 1] = Integer.parseInt(args[i]);
    }
    new NioFloor(Integer.parseInt(args[0]), backends).run();
  }

  private final Selector selector = Selector.open();
  private final int[] backends;
  @SuppressWarnings("unchecked")
  private final ArrayDeque<Upstream>[] idle;
  private long next;

  @SuppressWarnings("unchecked")
  private NioFloor(int port, int[] backends) throws IOException {
    this.backends = backends;
    this.idle = new ArrayDeque[backends.length];
    for (int i = 0; i < backends.length; i++) {
      idle[i] = new ArrayDeque<>();
    }
    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress("127.0.0.1", port), 1024);
    server.configureBlocking(false);
    server.register(selector, SelectionKey.OP_ACCEPT);
  }

  /** A client connection: reads one request at a time, written to an upstream, answered back. */
  private final class Client {
    final SocketChannel ch;
    final ByteBuffer in = ByteBuffer.allocate(BUFFER);
    Upstream up;

    Client(SocketChannel ch) {
      this.ch = ch;
    }

    void readable() throws IOException {
      if (ch.read(in) < 0) {
        close();
        return;
      }
      int end = headEnd(in);
      if (end < 0 || up != null) {
        return; // more bytes, or a request still in flight (no pipelining here)
      }
      int b = (int) Math.floorMod(next++, (long) backends.length);
      Upstream u = idle[b].pollFirst();
      if (u == null) {
        u = new Upstream(b);
      }
      up = u;
      u.client = this;
      int filled = in.position();
      in.flip();
      ByteBuffer request = ByteBuffer.allocate(end);
      in.limit(end);
      request.put(in);
      in.limit(filled);
      in.compact(); // what came after the request stays for the next one
      request.flip();
      u.send(request);
    }

    void close() throws IOException {
      ch.close();
      if (up != null) {
        up.ch.close();
      }
    }
  }

  /** A keep-alive connection to a backend. */
  private final class Upstream {
    final int backend;
    final SocketChannel ch;
    final ByteBuffer in = ByteBuffer.allocate(BUFFER);
    Client client;
    ByteBuffer pending;

    Upstream(int backend) throws IOException {
      this.backend = backend;
      ch = SocketChannel.open();
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ch.connect(new InetSocketAddress("127.0.0.1", backends[backend]));
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_READ, this);
    }

    void send(ByteBuffer request) throws IOException {
      while (request.hasRemaining()) {
        if (ch.write(request) == 0) {
          throw new IOException("backend not writable");
        }
      }
    }

    void readable() throws IOException {
      if (ch.read(in) < 0) {
        ch.close();
        if (client != null) {
          client.close();
        }
        return;
      }
      int end = headEnd(in);
      if (end < 0) {
        return;
      }
      int total = end + contentLength(in, end);
      if (in.position() < total) {
        return;
      }
      int filled = in.position();
      in.flip();
      in.limit(total);
      while (in.hasRemaining()) {
        if (client.ch.write(in) == 0) {
          throw new IOException("client not writable");
        }
      }
      in.limit(filled);
      in.compact();
      Client c = client;
      client = null;
      c.up = null;
      idle[backend].addFirst(this);
      if (headEnd(c.in) >= 0) {
        c.readable(); // a request that came while this one was in flight
      }
    }
  }

  private void run() throws IOException {
    while (true) {
      selector.select();
      Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
      while (keys.hasNext()) {
        SelectionKey key = keys.next();
        keys.remove();
        if (!key.isValid()) {
          continue; // its channel was closed by another key's handling in this round
        }
        try {
          if (key.isAcceptable()) {
            SocketChannel ch = ((ServerSocketChannel) key.channel()).accept();
            if (ch != null) {
              ch.configureBlocking(false);
              ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
              ch.register(selector, SelectionKey.OP_READ, new Client(ch));
            }
          } else if (key.attachment() instanceof Client c) {
            c.readable();
          } else if (key.attachment() instanceof Upstream u) {
            u.readable();
          }
        } catch (IOException | java.nio.channels.CancelledKeyException e) {
          key.channel().close();
        }
      }
    }
  }

  /** The end of the head in {@code b}'s bytes so far (position = filled), or -1. */
  private static int headEnd(ByteBuffer b) {
    byte[] a = b.array();
    for (int i = 3; i < b.position(); i++) {
      if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
        return i + 1;
      }
    }
    return -1;
  }

  private static int contentLength(ByteBuffer b, int headEnd) {
    byte[] a = b.array();
    String head = new String(a, 0, headEnd, java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase();
    int at = head.indexOf("\ncontent-length:");
    if (at < 0) {
      return 0;
    }
    int eol = head.indexOf('\r', at + 1);
    return Integer.parseInt(head.substring(at + 16, eol).trim());
  }
}
