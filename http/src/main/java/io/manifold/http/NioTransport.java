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
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.pekko.util.ByteString;

/**
 * One of the router's threads ({@link RouterThreads}): a selector loop, as an nginx worker is,
 * that reads and writes the sockets of the connections given to it and also runs their streams,
 * Pekko HTTP's parsing and rendering included, as the executor of a Pekko dispatcher of its own.
 * Pekko's TCP (Pekko IO) put an actor between the selector and each connection's stream, and with
 * Pekko's fork-join pool each hand-over between a connection's actors and the selector tended to
 * wake a parked thread: a read cost four messages between three threads, a write two, and waking
 * those threads was a quarter of the router's CPU and most of its latency at a fixed rate. Here a
 * request passes from the client's socket to its stream, to the dyno's connection and back on one
 * thread, and the thread sleeps in the selector, where the kernel wakes it when bytes come.
 *
 * <p>Reads stay registered while a stream keeps up (no re-registration per read); a connection
 * whose stream lags by more than {@link #MAX_UNREAD} bytes stops being read until it catches up.
 * Tasks from other threads (timers, the router's other work) queue here and wake the selector.
 * Nothing run here may block. {@link #shutdown()} is Pekko's (a dispatcher without actors shuts
 * its executor down for a while) and does nothing; {@link #close()} stops the thread.
 */
final class NioTransport extends AbstractExecutorService implements AutoCloseable {
  /** Bytes read from one connection and not yet taken by its stream, past which reading pauses. */
  static final int MAX_UNREAD = 256 * 1024;
  /** Tasks run between two looks at the selector, so that sockets are not starved by a long queue. */
  private static final int TASKS_PER_TURN = 1024;

  /** What the selector tells: a key of it is ready. */
  interface Ready {
    void ready(SelectionKey key);
  }

  /** The loop's thread, which knows its transport. */
  private static final class LoopThread extends Thread {
    final NioTransport transport;

    LoopThread(NioTransport transport, String name) {
      super(transport::loop, name);
      this.transport = transport;
      setDaemon(true);
    }
  }

  private final Selector selector;
  private final LoopThread thread;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  /** False while the loop blocks in the selector (or is about to): a task from elsewhere must wake it. */
  private final AtomicBoolean awake = new AtomicBoolean(true);
  /** The selector thread's read buffer: every connection's bytes pass through it, one read at a time. */
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
  private final String name;
  private volatile boolean closed;
  /** The Pekko dispatcher that runs on this loop, once {@link RouterThreads} registered it. */
  volatile String dispatcherId;

  NioTransport(String name) {
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new IllegalStateException("cannot open a selector", e);
    }
    this.name = name;
    this.thread = new LoopThread(this, name);
    thread.start();
  }

  /** The transport whose loop runs the calling thread, or null. */
  static NioTransport current() {
    return Thread.currentThread() instanceof LoopThread t ? t.transport : null;
  }

  /** Runs {@code task} on this loop: registrations, interest changes, and Pekko's mailboxes. */
  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    if (Thread.currentThread() != thread && !awake.get() && awake.compareAndSet(false, true)) {
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
        for (int n = 0; n < TASKS_PER_TURN; n++) {
          Runnable t = tasks.poll();
          if (t == null) {
            break;
          }
          run(t);
        }
        if (!tasks.isEmpty()) {
          selector.selectNow(this::dispatch);
          continue;
        }
        awake.set(false);
        if (tasks.isEmpty()) {
          selector.select(this::dispatch);
        } else {
          selector.selectNow(this::dispatch);
        }
        awake.set(true);
      } catch (ClosedSelectorException e) {
        return;
      } catch (IOException | RuntimeException e) {
        // one connection's trouble is its own: its stage has been told; the loop goes on
      }
    }
  }

  private static void run(Runnable task) {
    try {
      task.run();
    } catch (Throwable t) {
      // a mailbox handles its actor's failures; anything else must not end the loop
      if (t instanceof VirtualMachineError e) {
        throw e;
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

  /** Pekko's: a dispatcher without actors shuts its executor down, and makes it again later; this one stays. */
  @Override
  public void shutdown() {
    // the loop lives as long as its router (close)
  }

  @Override
  public List<Runnable> shutdownNow() {
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return closed;
  }

  @Override
  public boolean isTerminated() {
    return closed && !thread.isAlive();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    thread.join(unit.toMillis(timeout));
    return !thread.isAlive();
  }

  @Override
  public String toString() {
    return name;
  }

  static void quietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing is all we wanted
    }
  }
}
