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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * Tasks from other threads (timers, the router's other work) queue here and wake the selector;
 * the queue has no bound of its own: its tasks are the mailbox runs and stream callbacks of the
 * connections on this thread, bounded by their number and Pekko's buffers.
 * Nothing run here may block. {@link #shutdown()} is Pekko's (a dispatcher without actors shuts
 * its executor down for a while) and does nothing; {@link #close()} stops the thread.
 */
final class NioTransport extends AbstractExecutorService implements AutoCloseable {
  /**
   * Bytes read from one connection and not yet taken by its stream, past which reading pauses: a
   * connection holds at most this plus one read ({@code 64 KiB}), 128 KiB, so 1,024 client
   * connections that all send faster than their dynos take hold at most 128 MiB.
   */
  static final int MAX_UNREAD = 64 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(NioTransport.class);
  /** How long a listener stops accepting after accept() failed (out of file descriptors, say). */
  static final long ACCEPT_PAUSE_MS = 100;
  /** Resumes listeners after {@link #ACCEPT_PAUSE_MS}; one daemon thread for every router, idle unless accept() fails. */
  private static final ScheduledExecutorService ACCEPT_RETRIES = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "manifold-router-accept-retry");
    t.setDaemon(true);
    return t;
  });
  /** Tasks run between two looks at the selector, so that sockets are not starved by a long queue. */
  private static final int TASKS_PER_TURN = 1024;

  /** What the selector tells: a key of it is ready. */
  interface Ready {
    void ready(SelectionKey key);
  }

  /**
   * Something of this loop with a time-out of its own (a dyno connection's connect and idle
   * time-outs), looked at every {@link #TICK_NANOS} on the loop's thread, for as long as it is
   * {@link #watch watched}: one clock for all of them, rather than a timer set and cancelled per
   * request.
   */
  interface Timed {
    void tick(long nowNanos);
  }

  /** How often the {@link Timed} ones are looked at, so how late a time-out may fire: 50 ms. */
  static final long TICK_NANOS = 50_000_000L;

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
  /** The {@link Timed} ones of this loop; only on its thread. */
  private final java.util.Set<Timed> timed = new java.util.LinkedHashSet<>();
  private long nextTick = System.nanoTime() + TICK_NANOS;
  private volatile boolean closed;
  private long lastUnexpectedLogged = System.nanoTime() - 20_000_000_000L;
  private long unexpectedSinceLogged;

  /** Whose thread this is ({@link RouterThreads}), and its index there. */
  final Object owner;
  final int index;

  NioTransport(String name, Object owner, int index) {
    this.owner = owner;
    this.index = index;
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

  /** Whether the calling thread is this loop's. */
  boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /** Runs {@code task} now when on this loop's thread, else queues it here. */
  void onLoop(Runnable task) {
    if (Thread.currentThread() == thread) {
      task.run();
    } else {
      execute(task);
    }
  }

  /** Registers {@code channel} for {@code ops} now; only on the loop's thread. */
  SelectionKey registerHere(SocketChannel channel, int ops, Ready handler) throws IOException {
    return channel.register(selector, ops, handler);
  }

  /** {@code t} is looked at every tick from now on, until {@link #unwatch}; only on the loop's thread. */
  void watch(Timed t) {
    timed.add(t);
  }

  void unwatch(Timed t) {
    timed.remove(t);
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
    private long lastAcceptFailureLogged = System.nanoTime() - 20_000_000_000L;

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
          // out of file descriptors (EMFILE) leaves the connection pending and the key ready:
          // without a pause the loop would spin on it; the client waits in the backlog meanwhile
          pauseAccepting(k, e);
          return;
        }
        if (c == null) {
          return;
        }
        open.incrementAndGet();
        try {
          c.configureBlocking(false);
          c.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
          quietly(c);
          closed();
          continue;
        }
        accepted.accept(c);
      }
      if (open.get() >= max && k.isValid()) {
        k.interestOps(0); // full: the next connections wait until one closes
      }
    }

    private void pauseAccepting(SelectionKey k, IOException cause) {
      if (!k.isValid()) {
        return;
      }
      long now = System.nanoTime();
      if (now - lastAcceptFailureLogged > 10_000_000_000L) {
        lastAcceptFailureLogged = now;
        LOG.warn("{}: cannot accept a connection ({}); accepting again in {} ms", name, cause.toString(), ACCEPT_PAUSE_MS);
      }
      k.interestOps(0);
      ACCEPT_RETRIES.schedule(() -> execute(() -> {
        if (k.isValid() && open.get() < max) {
          k.interestOps(SelectionKey.OP_ACCEPT);
        }
      }), ACCEPT_PAUSE_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * An accepted connection is over: another may come in. Only counts: the connection's stage
     * closes its socket itself, on this thread and with a reset when it aborts; closing it here
     * first would send the client a normal end (FIN), and a cut-off answer would look complete.
     */
    void closed() {
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
          tick();
          continue;
        }
        awake.set(false);
        if (!tasks.isEmpty()) {
          selector.selectNow(this::dispatch);
        } else if (timed.isEmpty()) {
          selector.select(this::dispatch);
        } else {
          selector.select(this::dispatch, Math.max(1, (nextTick - System.nanoTime()) / 1_000_000L));
        }
        awake.set(true);
        tick();
      } catch (ClosedSelectorException e) {
        return;
      } catch (VirtualMachineError e) {
        fatal(e);
        return;
      } catch (Throwable e) {
        unexpected(e); // one connection's trouble is its own: its stage has been told; the loop goes on
      }
    }
  }

  /** Looks at the {@link Timed} ones when a tick is due. */
  private void tick() {
    long now = System.nanoTime();
    if (now - nextTick < 0) {
      return;
    }
    nextTick = now + TICK_NANOS;
    if (timed.isEmpty()) {
      return;
    }
    for (Timed t : timed.toArray(new Timed[0])) { // a tick may end its own watch
      try {
        t.tick(now);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        unexpected(e);
      }
    }
  }

  private void run(Runnable task) {
    try {
      task.run();
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      unexpected(t); // a mailbox handles its actor's failures; anything else must not end the loop
    }
  }

  /**
   * Out of memory, say: with this thread gone every connection on it would hang while the node
   * looked alive. As Pekko does on its own threads ({@code jvm-exit-on-fatal-error}), the JVM ends.
   */
  private void fatal(VirtualMachineError e) {
    closed = true;
    LOG.error("{}: fatal error on a router thread; the JVM stops", name, e);
    System.err.println(name + ": fatal error on a router thread; the JVM stops: " + e);
    Runtime.getRuntime().halt(70);
  }

  /** Logged at most once every ten seconds, with how many came meanwhile. */
  private void unexpected(Throwable t) {
    long now = System.nanoTime();
    unexpectedSinceLogged++;
    if (now - lastUnexpectedLogged > 10_000_000_000L) {
      LOG.error("{}: unexpected error on a router thread ({} since the last report); the thread goes on",
          name, unexpectedSinceLogged, t);
      lastUnexpectedLogged = now;
      unexpectedSinceLogged = 0;
    }
  }

  private void dispatch(SelectionKey key) {
    try {
      if (key.isValid()) {
        ((Ready) key.attachment()).ready(key);
      }
    } catch (java.nio.channels.CancelledKeyException e) {
      // its stage closed the socket meanwhile
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      unexpected(t); // one key's trouble must not keep the others of this selection from their turn
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

  /**
   * Closes a connection's socket, with a reset (RST) when {@code reset}, so that a cut-off answer
   * cannot look whole to its peer; its key is cancelled first, so the selector lets go of it.
   * Only on the loop's thread.
   */
  static void close(java.nio.channels.SocketChannel channel, SelectionKey key, boolean reset) {
    if (reset) {
      try {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
      } catch (IOException | RuntimeException e) {
        // closing anyway
      }
    }
    if (key != null) {
      key.cancel();
    }
    quietly(channel);
  }

  static void quietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing is all we wanted
    }
  }
}
