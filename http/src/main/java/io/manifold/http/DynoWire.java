package io.manifold.http;

import io.manifold.core.routing.HCode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpProtocols;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.StreamTcpException;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * One keep-alive connection to a dyno and the router's own HTTP/1.1 on it, driven by the selector
 * of its router thread ({@link NioTransport}) with no stream of its own: the request's bytes go
 * to the socket from the call that sends them, and the dyno's bytes are read, and its response
 * handed to the connection's {@link Listener}, from the selector's call. A request and its
 * answer so cross no actor's mailbox on the dyno's side; only a body that does not come whole
 * with its head streams, through {@link DynoResponseBody} (and a request body that streams from
 * the client, through {@link DynoRequestBody}). All of its state is its thread's: a call from
 * another thread is queued there.
 *
 * <p>The connection carries one request at a time (no pipelining to keep in order), and a proxy
 * reads little of a response: its status line, the headers that frame its body, and the rest
 * raw. Heroku's rules on a response are kept: a status line without a reason phrase is H17
 * ({@link StatusLineCheck.MissingReasonPhrase}), an oversized status line or header H25
 * ({@link ResponseHead.Reader}), any other malformed head H17 ({@link BadResponse}); a body the
 * dyno cuts short or breaks fails the body's stream ({@link BrokenBody}: H18 downstream). Interim
 * responses (100 Continue) are read and dropped: the request's body goes out at once.
 *
 * <p>Before a response whose connection cannot carry another request is handed on, the listener
 * is told it is {@link Listener#closing} (the dyno said {@code Connection: close}, the body ends
 * with the connection, or the request's body was not all sent), so that the connection is not
 * given to the next request in the moment before it closes.
 *
 * <p>Time-outs, looked at every {@link NioTransport#TICK_NANOS}: a connection not made within
 * {@code connectTimeout} fails with "Connect timeout" (H19), one refused with "Connection refused"
 * (H21), as Pekko's TCP words them for {@link Failures}; one left unused for {@code idleTimeout}
 * ({@code dyno-keep-alive}) closes with a {@link TimeoutException}. A connection whose request
 * is still on is not idle, however long the dyno takes: the request's own time-outs bound it. A failure resets the connection (RST); a normal end closes it (FIN).
 */
final class DynoWire implements NioTransport.Ready, NioTransport.Timed {

  /** A response head Heroku's router refuses: its H-code and {@code cause=}. */
  static final class BadResponse extends IllegalStateException {
    final HCode code;
    final String cause;

    BadResponse(HCode code, String cause, String what) {
      super("Illegal response from the dyno: " + what);
      this.code = code;
      this.cause = cause;
    }
  }

  /** A response body that ended before its framing said it would, or broke its framing. */
  static final class BrokenBody extends IllegalStateException {
    BrokenBody(String what) {
      super(what);
    }
  }

  /** What the connection is told by its wire, on the wire's thread. */
  interface Listener {
    /** The connection closes after the response now on it: it is not to be given another request. */
    void closing();

    /** The response to the request sent, its head read (its body may still stream). */
    void answered(HttpResponse response);

    /** The wire stopped: the dyno closed, the connection failed ({@code cause}), or it was closed. */
    void ended(Throwable cause);
  }

  /** Where the wire runs, and what it needs beyond its socket. */
  record Setting(NioTransport io, Duration connectTimeout, Duration idleTimeout, int maxStatusLine, int maxHeaderLine,
      Materializer materializer, Attributes dispatcher, Executor lookups) {}

  private final Setting s;
  private final NioTransport io;
  private final InetSocketAddress remote;
  private final Listener listener;
  private final ResponseHead.Reader reader;
  private SocketChannel channel;
  private SelectionKey key;
  private int interest;
  private boolean connected;
  private boolean closed;
  private long connectBy;
  private long lastActivity;
  /** Bytes to the dyno not yet taken by the socket. */
  private final ArrayDeque<ByteBuffer> toWrite = new ArrayDeque<>(2);
  /** The request body whose last piece is in {@link #toWrite}: told once it is all written. */
  private DynoRequestBody waitingForWrite;
  /** Bytes from the dyno not yet read. */
  private ByteString buffered = ByteString.emptyByteString();
  /** A request went out and its response is not over. */
  private boolean awaiting;
  private boolean headRequest;
  /** The request was HTTP/1.0: the dyno closes the connection after its answer. */
  private boolean requestCloses;
  /** The request's streamed body, while it goes out. */
  private DynoRequestBody requestBody;
  /** The response's body, while it streams. */
  private DynoResponseBody body;
  /** Bytes of a Content-Length body still to come, or -1 for one that ends with the connection. */
  private long bodyLeft;
  private ChunkedBody chunks;
  private boolean closeAfter;
  private boolean dynoDone;
  /** No more requests will come. */
  private boolean requestsOver;

  private DynoWire(Setting s, InetSocketAddress remote, Listener listener) {
    this.s = s;
    this.io = s.io;
    this.remote = remote;
    this.listener = listener;
    this.reader = new ResponseHead.Reader(s.maxStatusLine, s.maxHeaderLine);
  }

  /** A connection to {@code remote}, being made on its thread; requests may be sent on it at once. */
  static DynoWire open(Setting s, InetSocketAddress remote, Listener listener) {
    DynoWire wire = new DynoWire(s, remote, listener);
    wire.io.onLoop(wire::start);
    return wire;
  }

  /** Sends {@code request}, from any thread; the connection carries one at a time. */
  void send(DynoRequest request) {
    io.onLoop(() -> sendHere(request));
  }

  /** No more requests: the connection closes once the one on it is over; from any thread. */
  void complete() {
    io.onLoop(() -> {
      requestsOver = true;
      if (!awaiting) {
        end(null, false);
      }
    });
  }

  /** The request on it is given up: the connection closes at once (with a reset); from any thread. */
  void fail(Throwable cause) {
    io.onLoop(() -> {
      requestsOver = true;
      end(cause, true);
    });
  }

  @Override
  public String toString() {
    return "DynoWire(" + remote + ")";
  }

  // --- the socket

  private void start() {
    try {
      channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    } catch (IOException e) {
      end(new StreamTcpException("Tcp connect to " + remote + " failed: " + e), false);
      return;
    }
    connectBy = System.nanoTime() + s.connectTimeout.toNanos(); // the name's lookup included
    io.watch(this);
    if (remote.isUnresolved() && !isAddress(remote.getHostString())) {
      // a node's name: looking it up may wait on DNS, which must not hold up this thread's other
      // connections, so it is looked up on Pekko's blocking-IO dispatcher
      String host = remote.getHostString();
      int port = remote.getPort();
      s.lookups.execute(() -> {
        InetSocketAddress resolved = new InetSocketAddress(host, port);
        io.execute(() -> connect(resolved));
      });
      return;
    }
    connect(remote.isUnresolved() ? new InetSocketAddress(remote.getHostString(), remote.getPort()) : remote);
  }

  /** An IP address written out, which the JVM reads without asking DNS. */
  private static boolean isAddress(String host) {
    return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
  }

  /** Connects to {@code to}, looked up (an unresolved one failed its lookup). */
  private void connect(InetSocketAddress to) {
    if (closed) {
      return; // the connect time-out came first
    }
    if (to.isUnresolved()) {
      end(new UnknownHostException(to.getHostString() + ": the dyno's host has no address"), false);
      return;
    }
    try {
      boolean now = channel.connect(to);
      interest = now ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT;
      key = io.registerHere(channel, interest, this);
      if (now) {
        connected();
      }
    } catch (IOException e) {
      end(e instanceof ConnectException ? e : new StreamTcpException("Tcp connect to " + remote + " failed: " + e), false);
    }
  }

  private void connected() {
    connected = true;
    lastActivity = System.nanoTime();
    interest(SelectionKey.OP_READ, true);
    interest(SelectionKey.OP_CONNECT, false);
    flush();
  }

  @Override
  public void ready(SelectionKey k) {
    if (closed) {
      return;
    }
    int ops = k.readyOps();
    if (!connected) {
      if ((ops & SelectionKey.OP_CONNECT) != 0) {
        try {
          if (!channel.finishConnect()) {
            return; // not yet: the selector tells again
          }
        } catch (IOException e) {
          end(e, false);
          return;
        }
        connected();
      }
      return;
    }
    if ((ops & SelectionKey.OP_WRITE) != 0) {
      flush();
    }
    if (!closed && (ops & SelectionKey.OP_READ) != 0) {
      readSocket();
    }
  }

  @Override
  public void tick(long now) {
    if (closed) {
      return;
    }
    if (!connected) {
      if (now - connectBy >= 0) {
        end(new SocketTimeoutException("Connect timeout of " + s.connectTimeout + " expired"), false);
      }
    } else if (!awaiting && now - lastActivity >= s.idleTimeout.toNanos()) {
      // only an unused connection: one whose request is still on, however long, is bounded by the
      // request's own time-outs (H12, then one idle window; H15 and H28 on a body that stalls)
      end(new TimeoutException("TCP idle-timeout encountered on connection to [" + remote
          + "], no bytes passed in the last " + s.idleTimeout), true);
    }
  }

  private void interest(int op, boolean on) {
    int next = on ? interest | op : interest & ~op;
    if (next != interest && key != null && key.isValid()) {
      interest = next;
      key.interestOps(next);
    }
  }

  private void write(ByteString bytes) {
    toWrite.add(bytes.asByteBuffer());
    if (connected && toWrite.size() == 1) {
      flush();
    }
  }

  /** Writes what waits, as far as the socket takes it; the rest when it has room. */
  private void flush() {
    while (!toWrite.isEmpty()) {
      ByteBuffer b = toWrite.peek();
      try {
        if (channel.write(b) > 0) {
          lastActivity = System.nanoTime(); // a dyno taking a big body bit by bit is not idle
        }
      } catch (IOException e) {
        end(e, true);
        return;
      }
      if (b.hasRemaining()) {
        interest(SelectionKey.OP_WRITE, true);
        return;
      }
      toWrite.poll();
    }
    interest(SelectionKey.OP_WRITE, false);
    DynoRequestBody next = waitingForWrite;
    if (next != null) {
      waitingForWrite = null;
      next.written();
    }
  }

  private void readSocket() {
    ByteString bytes;
    try {
      bytes = io.read(channel);
    } catch (IOException e) {
      end(e, true);
      return;
    }
    if (bytes == null) {
      dynoDone = true;
      interest(SelectionKey.OP_READ, false);
      if (body != null) {
        read();
      } else if (awaiting) {
        end(new DynoConnections.ClosedWithoutResponse(null), true);
      } else {
        end(null, false); // the dyno closed an idle connection
      }
      return;
    }
    if (bytes.isEmpty()) {
      return;
    }
    lastActivity = System.nanoTime();
    buffered = buffered.isEmpty() ? bytes : buffered.concat(bytes);
    read();
  }

  /**
   * The connection is over: {@code cause} says why (null: a normal end). Its socket closes, with
   * a reset when {@code reset}; a body still streaming fails; the listener is told last.
   */
  private void end(Throwable cause, boolean reset) {
    if (closed) {
      return;
    }
    closed = true;
    io.unwatch(this);
    if (body != null) {
      body.fail(cause != null ? cause : new BrokenBody("the dyno's connection closed before the end of the body"));
      body = null;
    }
    if (requestBody != null) {
      requestBody.gone();
      requestBody = null;
    }
    toWrite.clear();
    buffered = ByteString.emptyByteString();
    if (channel != null) {
      NioTransport.close(channel, key, reset);
    }
    listener.ended(cause);
  }

  // --- HTTP/1.1

  private void sendHere(DynoRequest request) {
    if (closed) {
      return; // the connection's listener was told, and fails the request
    }
    awaiting = true;
    headRequest = request.headMethod();
    requestCloses = request.http10();
    RequestEntity entity = request.entity();
    if (entity.isStrict()) {
      ByteString data = ((HttpEntity.Strict) entity).getData();
      write(data.isEmpty() ? request.head() : request.head().concat(data));
    } else {
      write(request.head());
      boolean chunked = entity.isChunked() || entity.getContentLengthOption().isEmpty();
      DynoRequestBody sink = new DynoRequestBody(this, chunked);
      requestBody = sink;
      entity.getDataBytes().to(Sink.fromGraph(sink)).withAttributes(s.dispatcher).run(s.materializer);
    }
  }

  /** A piece of the request's streamed body, from the body's stream; it is told once it is written. */
  void bodyPiece(DynoRequestBody from, ByteString piece) {
    io.onLoop(() -> {
      if (closed || requestBody != from) {
        from.gone();
        return;
      }
      waitingForWrite = from;
      write(piece);
    });
  }

  /** The request's body is all sent, but for {@code last} (the last chunk, or nothing). */
  void bodyEnd(DynoRequestBody from, ByteString last) {
    io.onLoop(() -> {
      if (closed || requestBody != from) {
        return;
      }
      requestBody = null;
      if (!last.isEmpty()) {
        write(last);
      }
    });
  }

  /** The client broke its body off: the dyno cannot be told otherwise than by a reset. */
  void bodyBroke(DynoRequestBody from, Throwable cause) {
    io.onLoop(() -> {
      if (!closed && requestBody == from) {
        requestBody = null;
        end(cause, true);
      }
    });
  }

  /** Reads what the dyno sent: the head of a response, or the next piece of its body. */
  private void read() {
    try {
      while (body == null) {
        if (closed) {
          return;
        }
        if (!awaiting) {
          if (!buffered.isEmpty()) {
            end(null, false); // the dyno wrote without being asked: the connection is not to be trusted
          }
          return;
        }
        if (buffered.isEmpty()) {
          if (dynoDone) {
            end(new DynoConnections.ClosedWithoutResponse(null), true);
          }
          return;
        }
        ByteString in = buffered;
        buffered = ByteString.emptyByteString();
        int used = reader.feed(in);
        if (used < 0) {
          if (dynoDone) {
            end(new DynoConnections.ClosedWithoutResponse(null), true);
          }
          return;
        }
        buffered = in.drop(used);
        ResponseHead head = reader.head();
        if (!head.interim()) {
          respond(head);
        }
      }
      readBody();
    } catch (BadResponse | StatusLineCheck.MissingReasonPhrase | BrokenBody e) {
      end(e, true);
    }
  }

  /** Hands the response on: with its body if that is all here, or with a stream of it. */
  private void respond(ResponseHead head) {
    closeAfter = head.close() || requestCloses;
    ContentType type = DynoHeaders.contentType(head.contentType());
    int status = head.status();
    ResponseEntity entity;
    boolean over = false;
    if (headRequest || status == 204 || status == 304 || status == 101) {
      // no body follows, whatever the head says its length would be
      entity = head.contentLength() > 0
          ? HttpEntities.create(type, head.contentLength(), Source.empty())
          : HttpEntities.create(type, ByteString.emptyByteString());
      over = true;
    } else if (head.chunked()) {
      chunks = new ChunkedBody();
      entity = HttpEntities.createChunked(type, openBody());
    } else if (head.contentLength() >= 0 && buffered.length() >= head.contentLength()) {
      int length = (int) head.contentLength();
      entity = HttpEntities.create(type, buffered.take(length));
      buffered = buffered.drop(length);
      over = true;
    } else if (head.contentLength() >= 0) {
      bodyLeft = head.contentLength();
      entity = HttpEntities.create(type, head.contentLength(), openBody());
    } else {
      closeAfter = true;
      bodyLeft = -1;
      entity = HttpEntities.createCloseDelimited(type, openBody());
    }
    if (over) {
      awaiting = false; // before the listener, which may give the connection back and send on it at once
      if (lastOnConnection()) {
        listener.closing(); // before the relay has the response, and gives the connection back
      }
    }
    HttpResponse response = ModelHeaders.with(HttpResponse.create().withStatus(status(status, head.reason())),
        head.headers(), entity);
    listener.answered(head.http10() ? response.withProtocol(HttpProtocols.HTTP_1_0) : response);
    if (over) {
      responseOver();
    }
  }

  private Source<ByteString, ?> openBody() {
    body = new DynoResponseBody(this);
    return Source.fromGraph(body);
  }

  /** {@code which}'s reader took what waited after reading paused: read on; from the body's stream. */
  void readMore(DynoResponseBody which) {
    io.execute(() -> {
      if (!closed && body == which) {
        lastActivity = System.nanoTime();
        interest(SelectionKey.OP_READ, !dynoDone);
      }
    });
  }

  /** {@code which} is not wanted any more (its client left): the rest is not worth reading; from the body's stream. */
  void bodyCancelled(DynoResponseBody which) {
    io.execute(() -> {
      if (!closed && body == which) {
        body = null;
        listener.closing();
        end(null, false);
      }
    });
  }

  /** Passes on what is here of the body, pausing the reading while the body's reader lags. */
  private void readBody() {
    DynoResponseBody out = body;
    if (buffered.isEmpty()) {
      if (!dynoDone) {
        return;
      }
      if (chunks == null && bodyLeft < 0) {
        bodyOver(); // the connection's end is the body's
        return;
      }
      throw new BrokenBody("the dyno closed the connection before the end of the body");
    }
    ByteString data;
    boolean done;
    if (chunks != null) {
      data = chunks.decode(buffered);
      buffered = chunks.rest();
      done = chunks.done();
    } else if (bodyLeft >= 0) {
      int take = (int) Math.min(bodyLeft, buffered.length());
      data = buffered.take(take);
      buffered = buffered.drop(take);
      bodyLeft -= take;
      done = bodyLeft == 0;
    } else {
      data = buffered;
      buffered = ByteString.emptyByteString();
      done = false;
    }
    boolean full = !data.isEmpty() && out.offer(data);
    if (done) {
      bodyOver();
    } else if (full) {
      interest(SelectionKey.OP_READ, false); // until the body's reader took it (readMore)
    }
  }

  private void bodyOver() {
    DynoResponseBody out = body;
    body = null;
    chunks = null;
    awaiting = false;
    if (lastOnConnection()) {
      listener.closing(); // before the body's end reaches the relay, which then gives the connection back
    }
    out.complete();
    responseOver();
  }

  /**
   * No other request may follow on the connection: the dyno closes it, the request's body was not
   * all sent, the dyno sent more than the response, or the connection was told to close.
   */
  private boolean lastOnConnection() {
    return closeAfter || requestBody != null || dynoDone || !buffered.isEmpty() || requestsOver;
  }

  /** The response is over: the connection waits for the next request, or closes. */
  private void responseOver() {
    if (closed || awaiting) {
      return; // closed meanwhile, or already carrying the next request
    }
    if (lastOnConnection()) {
      listener.closing();
      end(null, false);
      return;
    }
    interest(SelectionKey.OP_READ, true);
  }

  private static StatusCode status(int code, String reason) {
    return code == 200 ? StatusCodes.OK : StatusCodes.lookup(code).orElseGet(() -> StatusCodes.custom(code, reason, ""));
  }
}
