package io.manifold.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.pekko.util.ByteString;

/**
 * The router's TCP: one selector thread for its client connections and its connections to dynos,
 * under Pekko HTTP's own parsing and rendering ({@link SocketStage} is the stream stage of a
 * connection). Pekko's TCP (Pekko IO) gives each connection an actor between the selector and the
 * stream, and a read costs four messages between three threads (readable, received, resume
 * reading, and the selector's re-registration), a write two (write, ack); on a 2-core machine
 * each one tends to wake a parked thread, and that waking was a quarter of the router's CPU.
 * Here the selector thread reads a connection's bytes itself and hands them to the stream in one
 * message, and the stream writes from its own thread, straight to the socket.
 *
 * <p>Reads stay registered while the stream keeps up (no re-registration per read); a connection
 * whose stream lags by more than {@link #MAX_UNREAD} bytes stops being read until it catches up.
 */
final class NioTransport implements AutoCloseable {
  /** Bytes read from one connection and not yet taken by its stream, past which reading pauses. */
  static final int MAX_UNREAD = 256 * 1024;

  /** What the selector tells: a key of it is ready. */
  interface Ready {
    void ready(SelectionKey key);
  }

  private final Selector selector;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  /** The selector thread's read buffer: every connection's bytes pass through it, one read at a time. */
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
  private volatile boolean closed;

  NioTransport(String name) {
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new IllegalStateException("cannot open a selector", e);
    }
    this.thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Runs {@code task} on the selector thread: registrations and interest changes happen there. */
  void execute(Runnable task) {
    tasks.add(task);
    if (Thread.currentThread() != thread) {
      selector.wakeup();
    }
  }

  boolean onSelectorThread() {
    return Thread.currentThread() == thread;
  }

  /** Registers {@code channel} for {@code ops} (on the selector thread); {@code then} gets its key. */
  void register(SocketChannel channel, int ops, Ready handler, Consumer<SelectionKey> then) {
    execute(() -> {
      try {
        then.accept(channel.register(selector, ops, handler));
      } catch (IOException | RuntimeException e) {
        then.accept(null); // closed meanwhile
      }
    });
  }

  /**
   * Reads what {@code channel} has, once, into a fresh {@link ByteString}: empty when it had
   * nothing, null at its end. Only on the selector thread.
   */
  ByteString read(SocketChannel channel) throws IOException {
    ByteBuffer b = readBuffer;
    b.clear();
    int n = channel.read(b);
    if (n < 0) {
      return null;
    }
    if (n == 0) {
      return ByteString.emptyByteString();
    }
    b.flip();
    return ByteString.fromByteBuffer(b);
  }

  /** A listening socket; connections beyond {@code maxConnections} wait in the OS's backlog until one closes. */
  CompletionStage<Listener> listen(InetSocketAddress address, int backlog, int maxConnections,
      Consumer<SocketChannel> accepted) {
    CompletableFuture<Listener> bound = new CompletableFuture<>();
    execute(() -> {
      try {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(address, backlog);
        server.configureBlocking(false);
        Listener l = new Listener(server, maxConnections, accepted);
        l.key = server.register(selector, SelectionKey.OP_ACCEPT, l);
        bound.complete(l);
      } catch (IOException | RuntimeException e) {
        bound.completeExceptionally(e);
      }
    });
    return bound;
  }

  /** A listening socket of this transport. */
  final class Listener implements Ready {
    private final ServerSocketChannel server;
    private final int max;
    private final Consumer<SocketChannel> accepted;
    private final AtomicInteger open = new AtomicInteger();
    private SelectionKey key;

    private Listener(ServerSocketChannel server, int max, Consumer<SocketChannel> accepted) {
      this.server = server;
      this.max = max;
      this.accepted = accepted;
    }

    InetSocketAddress localAddress() {
      try {
        return (InetSocketAddress) server.getLocalAddress();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void ready(SelectionKey k) {
      for (int i = 0; i < 16 && open.get() < max; i++) {
        SocketChannel c;
        try {
          c = server.accept();
        } catch (IOException e) {
          return; // the client gave up before we took it; the listener goes on
        }
        if (c == null) {
          return;
        }
        open.incrementAndGet();
        try {
          c.configureBlocking(false);
          c.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
          closed(c);
          continue;
        }
        accepted.accept(c);
      }
      if (open.get() >= max && k.isValid()) {
        k.interestOps(0); // full: the next connections wait until one closes
      }
    }

    /** An accepted connection is over: another may come in. */
    void closed(SocketChannel c) {
      quietly(c);
      if (open.getAndDecrement() >= max) {
        execute(() -> {
          if (key.isValid() && open.get() < max) {
            key.interestOps(SelectionKey.OP_ACCEPT);
          }
        });
      }
    }

    /** Stops accepting; connections already accepted go on. */
    CompletionStage<Void> unbind() {
      CompletableFuture<Void> done = new CompletableFuture<>();
      execute(() -> {
        key.cancel();
        quietly(server);
        done.complete(null);
      });
      return done;
    }
  }

  private void loop() {
    while (!closed) {
      try {
        selector.select(this::dispatch);
        for (Runnable t = tasks.poll(); t != null; t = tasks.poll()) {
          t.run();
        }
      } catch (ClosedSelectorException e) {
        return;
      } catch (IOException | RuntimeException e) {
        // one connection's trouble is its own: its stage has been told; the loop goes on
      }
    }
  }

  private void dispatch(SelectionKey key) {
    try {
      if (key.isValid()) {
        ((Ready) key.attachment()).ready(key);
      }
    } catch (java.nio.channels.CancelledKeyException e) {
      // its stage closed the socket meanwhile
    }
  }

  /** Stops the thread and closes every socket left. */
  @Override
  public void close() {
    execute(() -> {
      closed = true;
      for (SelectionKey k : selector.keys()) {
        quietly(k.channel());
      }
      quietly(selector);
    });
  }

  static void quietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing is all we wanted
    }
  }
}
