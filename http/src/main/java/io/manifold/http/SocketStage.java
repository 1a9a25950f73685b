package io.manifold.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.StreamTcpException;
import org.apache.pekko.stream.SubscriptionWithCancelException;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * One client connection of the router as a stream stage, bytes in (to write) and bytes out
 * (read), on a {@link NioTransport}, for Pekko HTTP's server layer. It keeps the semantics of
 * Pekko's TCP stage, which that layer was written for: the peer's end of stream completes the
 * output and writing goes on; the input's end closes the connection once what was written has
 * gone; a failed input, or an output cancelled with a failure, resets the connection (RST). A
 * connection that passes no byte for {@code idleTimeout} closes with a {@link TimeoutException}.
 * (The router's connections to dynos have no stream: {@link DynoWire}.)
 */
final class SocketStage extends GraphStage<FlowShape<ByteString, ByteString>> {
  private final Inlet<ByteString> in = Inlet.create("Socket.in");
  private final Outlet<ByteString> out = Outlet.create("Socket.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
  private final NioTransport io;
  private final SocketChannel accepted;
  /** The client's address, for the idle time-out's message. */
  private final InetSocketAddress remote;
  private final Duration idleTimeout;
  /** Told once when the connection is over. */
  private final Runnable onClose;
  /** Bytes of the connection read before this stage took it ({@link ClientWire}), the first the stream gets. */
  private final ByteString alreadyRead;

  private SocketStage(NioTransport io, SocketChannel accepted, InetSocketAddress remote, Duration idleTimeout,
      Runnable onClose, ByteString alreadyRead) {
    this.alreadyRead = alreadyRead;
    this.io = io;
    this.accepted = accepted;
    this.remote = remote;
    this.idleTimeout = idleTimeout;
    this.onClose = onClose;
  }

  /** A connection a listener accepted, without half-close, as Pekko HTTP's server binds. */
  static SocketStage accepted(NioTransport io, SocketChannel channel, Duration idleTimeout, Runnable onClose,
      ByteString alreadyRead) {
    InetSocketAddress peer;
    try {
      peer = (InetSocketAddress) channel.getRemoteAddress();
    } catch (IOException e) {
      peer = null;
    }
    return new SocketStage(io, channel, peer, idleTimeout, onClose, alreadyRead);
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public String toString() {
    return "Socket(" + remote + ")";
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new Logic();
  }

  /**
   * The connection as the selector thread sees it: what it read for the stream, and what it saw.
   * The stage is told with one message per batch of news ({@link #signalled}), and reads them all.
   */
  private static final class Socket implements NioTransport.Ready {
    final SocketChannel channel;
    final NioTransport io;
    AsyncCallback<Object> news;
    /** Set on the selector thread by the registration, which runs before any task that reads it. */
    volatile SelectionKey key;
    // all below under the lock (this)
    private ByteString unread = ByteString.emptyByteString();
    private boolean ended;
    private IOException failure;
    private boolean writable;
    private boolean paused;
    private boolean signalled;
    private boolean gone;

    Socket(SocketChannel channel, NioTransport io) {
      this.channel = channel;
      this.io = io;
    }

    @Override
    public void ready(SelectionKey k) {
      int ops = k.readyOps();
      boolean tell = false;
      if ((ops & SelectionKey.OP_WRITE) != 0) {
        k.interestOps(k.interestOps() & ~SelectionKey.OP_WRITE);
        synchronized (this) {
          writable = true;
        }
        tell = true;
      }
      if ((ops & SelectionKey.OP_READ) != 0) {
        tell |= read(k);
      }
      if (tell) {
        tell();
      }
    }

    /** Reads once; true when there is news for the stage. */
    private boolean read(SelectionKey k) {
      ByteString bytes;
      IOException failed = null;
      try {
        bytes = io.read(channel);
      } catch (IOException e) {
        bytes = null;
        failed = e;
      }
      if (bytes != null && bytes.isEmpty()) {
        return false;
      }
      synchronized (this) {
        if (gone) {
          return false;
        }
        if (bytes == null) {
          ended = true;
          failure = failed;
          k.interestOps(k.interestOps() & ~SelectionKey.OP_READ);
        } else {
          unread = unread.isEmpty() ? bytes : unread.concat(bytes);
          if (unread.size() >= NioTransport.MAX_UNREAD) {
            paused = true;
            k.interestOps(k.interestOps() & ~SelectionKey.OP_READ);
          }
        }
      }
      return true;
    }

    private void tell() {
      boolean first;
      synchronized (this) {
        first = !signalled;
        signalled = true;
      }
      if (first) {
        news.invoke(Boolean.TRUE);
      }
    }

    /** The bytes read so far, taken; reading resumes if it had paused. */
    ByteString take() {
      ByteString b;
      boolean resume;
      synchronized (this) {
        b = unread;
        unread = ByteString.emptyByteString();
        resume = paused;
        paused = false;
      }
      if (resume) {
        io.execute(() -> {
          if (key != null && key.isValid()) {
            key.interestOps(key.interestOps() | SelectionKey.OP_READ);
          }
        });
      }
      return b;
    }

    synchronized void seen() {
      signalled = false;
    }

    synchronized boolean hasUnread() {
      return !unread.isEmpty();
    }

    synchronized boolean ended() {
      return ended;
    }

    synchronized IOException failure() {
      return failure;
    }

    synchronized boolean takeWritable() {
      boolean w = writable;
      writable = false;
      return w;
    }

    void wantWrite() {
      io.execute(() -> {
        if (key != null && key.isValid()) {
          key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
        }
      });
    }

    /**
     * Closes the socket (with a reset when {@code reset}), on the selector thread: a socket
     * registered with a selector is only really closed when the selector drops its key, at its
     * next selection, which a blocked selector would not come to by itself.
     */
    void close(boolean reset) {
      synchronized (this) {
        gone = true;
      }
      io.execute(() -> NioTransport.close(channel, key, reset));
    }
  }

  private final class Logic extends TimerGraphStageLogic {
    private Socket socket;
    /** Bytes taken from upstream and not yet written. */
    private ByteBuffer pending;
    private boolean inDone;
    private boolean outDone;
    private boolean closed;
    private long lastActivity = System.nanoTime();

    Logic() {
      super(shape);
      setHandler(in, new AbstractInHandler() {
        @Override
        public void onPush() {
          ByteString bytes = grab(in);
          pending = bytes.asByteBuffer();
          lastActivity = System.nanoTime();
          write();
        }

        @Override
        public void onUpstreamFinish() {
          inDone = true;
          if (pending == null) {
            finish();
          }
          // otherwise once what is pending has been written
        }

        @Override
        public void onUpstreamFailure(Throwable ex) {
          abort(new StreamTcpException("The connection has been aborted"));
        }
      });
      setHandler(out, new AbstractOutHandler() {
        @Override
        public void onPull() {
          deliver();
        }

        @Override
        public void onDownstreamFinish(Throwable cause) {
          outDone = true;
          if (!(cause instanceof SubscriptionWithCancelException.NonFailureCancellation)) {
            abort(cause);
          } else if (pending == null) {
            finish();
          }
        }
      });
    }

    @Override
    public void preStart() {
      setKeepGoing(true);
      AsyncCallback<Object> news = createAsyncCallback(x -> onNews());
      if (idleTimeout != null) {
        Duration check = Duration.ofNanos(Math.max(idleTimeout.toNanos() / 8, 10_000_000L));
        scheduleWithFixedDelay("idle", check, check);
      }
      socket = new Socket(accepted, io);
      socket.news = news;
      socket.unread = alreadyRead;
      io.register(accepted, SelectionKey.OP_READ, socket, k -> socket.key = k);
      pull(in);
    }

    @Override
    public void onTimer(Object key) {
      if (System.nanoTime() - lastActivity >= idleTimeout.toNanos()) {
        abort(new TimeoutException("TCP idle-timeout encountered on connection to [" + remote + "], no bytes passed in the last "
            + idleTimeout));
      }
    }

    /** The selector has news: bytes, the peer's end, a failure, room to write. */
    private void onNews() {
      if (closed) {
        return;
      }
      socket.seen();
      if (socket.takeWritable() && pending != null) {
        write();
      }
      if (!closed) {
        deliver();
      }
    }

    /**
     * Passes what was read on when the output wants it, then the peer's end (or failure) once
     * nothing is left unread: an end needs no demand, so an idle connection that the peer closed
     * ends at once, and is not taken for the next request.
     */
    private void deliver() {
      if (socket.hasUnread()) {
        if (outDone) {
          socket.take(); // nobody reads any more: dropped
        } else if (isAvailable(out)) {
          lastActivity = System.nanoTime();
          push(out, socket.take());
          return;
        } else {
          return; // until the next pull
        }
      }
      if (socket.ended()) {
        IOException f = socket.failure();
        if (f != null) {
          abort(f);
          return;
        }
        if (!outDone) {
          outDone = true;
          complete(out);
        }
        if (inDone && pending == null) {
          finish();
        }
      }
    }

    private void write() {
      try {
        if (socket.channel.write(pending) > 0) {
          lastActivity = System.nanoTime(); // a slow reader taking a big answer bit by bit is not idle
        }
      } catch (IOException e) {
        abort(e);
        return;
      }
      if (pending.hasRemaining()) {
        socket.wantWrite(); // the rest when the socket has room
        return;
      }
      pending = null;
      if (inDone) {
        finish();
      } else if (!hasBeenPulled(in)) {
        pull(in);
      }
    }

    private void finish() {
      if (!closed) {
        closed = true;
        socket.close(false);
        onClose.run();
        completeStage();
      }
    }

    private void abort(Throwable cause) {
      if (!closed) {
        closed = true;
        if (socket != null) {
          socket.close(true);
        }
        onClose.run();
        failStage(cause);
      }
    }

    @Override
    public void postStop() {
      if (!closed) {
        closed = true;
        if (socket != null) {
          socket.close(true);
        } else {
          NioTransport.quietly(accepted);
        }
        onClose.run();
      }
    }
  }
}
