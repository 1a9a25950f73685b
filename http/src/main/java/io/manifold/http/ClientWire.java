package io.manifold.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, read and written by its router thread itself, with no stream: the
 * common request ({@link ClientRequestHead}) is read from the selector's call, handed to the
 * {@link Proxy}, and its answer written ({@link ClientResponseHead}) from the call that completes
 * it, which for a dyno's answer is the same thread's ({@link DynoWire}). Pekko HTTP's server, a
 * stream per connection, cost about half of the router's CPU per request; this is what
 * {@link DynoWire} did for the dyno's side.
 *
 * <p>A request it does not read (an upgrade, {@code Expect}, HTTP/1.0, a body still coming,
 * anything malformed or over a limit) hands the connection, with the bytes read so far, to Pekko
 * HTTP's server for the rest of its life ({@link HandOver}); so every rule of that path (its
 * error pages, H26 lines, WebSockets, body watches) holds as it did.
 *
 * <p>As Pekko's server did: requests are answered one at a time, in order; one more is read ahead
 * while one is handled, so that a client that closes its connection is seen at once
 * ({@link ClientConnection#requestsEnded}: H27); reading pauses while {@link NioTransport#MAX_UNREAD}
 * bytes wait; a connection that passes no byte for the idle time-out is closed. All state is the
 * router thread's.
 */
final class ClientWire implements NioTransport.Ready, NioTransport.Timed {
  private static final Logger LOG = LoggerFactory.getLogger(ClientWire.class);

  /** Serves a connection this wire leaves to Pekko HTTP's server, with the bytes it read and did not use. */
  interface HandOver {
    void serve(SocketChannel channel, ByteString alreadyRead);
  }

  private final NioTransport loop;
  private final SocketChannel channel;
  private final Proxy proxy;
  private final Attributes dispatcher;
  private final RemoteAddress remote;
  /** No byte either way for this long closes the connection; 0 for never. */
  private final long idleNanos;
  /** Told once when the connection is over (not when it is handed over: its new owner tells). */
  private final Runnable onClose;
  private final HandOver handOver;
  private final ClientConnection connection = new ClientConnection();
  private SelectionKey key;
  /** Bytes read and not yet taken by a request. */
  private ByteString unread = ByteString.emptyByteString();
  /** A request is handled: its answer has not all been written. */
  private boolean busy;
  /** The request handled said it is the connection's last ({@code Connection: close}). */
  private boolean lastRequest;
  private boolean headRequest;
  /** The client's end of the connection came. */
  private boolean ended;
  private boolean closed;
  private boolean handedOver;
  private boolean reading;
  private long lastActivity = System.nanoTime();
  // the answer being written
  private boolean closeAfter;
  /** The answer's head has been written, or is being written. */
  private boolean answering;
  private ByteBuffer pending;
  private HttpEntity streamed;
  private ClientResponseHead.Body framing;
  private ClientResponseBody.Feed feed;
  private boolean bodyDone;
  /** The body's bytes so far, and how many its head promised ({@code LENGTH}). */
  private long bodyBytes;
  private long bodyLength;

  private ClientWire(NioTransport loop, SocketChannel channel, Proxy proxy, Attributes dispatcher, Duration idleTimeout,
      Runnable onClose, HandOver handOver) {
    this.loop = loop;
    this.channel = channel;
    this.proxy = proxy;
    this.dispatcher = dispatcher;
    InetSocketAddress peer;
    try {
      peer = (InetSocketAddress) channel.getRemoteAddress();
    } catch (IOException e) {
      peer = new InetSocketAddress("127.0.0.1", 0);
    }
    this.remote = RemoteAddress.create(peer);
    this.idleNanos = idleTimeout == null ? 0 : idleTimeout.toNanos();
    this.onClose = onClose;
    this.handOver = handOver;
  }

  /** Serves an accepted connection on {@code loop}, from its thread. */
  static void serve(NioTransport loop, SocketChannel channel, Proxy proxy, Attributes dispatcher, Duration idleTimeout,
      Runnable onClose, HandOver handOver) {
    ClientWire wire = new ClientWire(loop, channel, proxy, dispatcher, idleTimeout, onClose, handOver);
    loop.onLoop(wire::start);
  }

  private void start() {
    try {
      key = loop.registerHere(channel, SelectionKey.OP_READ, this);
    } catch (IOException | RuntimeException e) {
      NioTransport.quietly(channel);
      onClose.run();
      closed = true;
      return;
    }
    reading = true;
    if (idleNanos > 0) {
      loop.watch(this);
    }
    proxy.timeouts.opened(connection);
  }

  @Override
  public void ready(SelectionKey k) {
    if (closed || handedOver) {
      return;
    }
    int ops = k.readyOps();
    if ((ops & SelectionKey.OP_WRITE) != 0) {
      k.interestOps(k.interestOps() & ~SelectionKey.OP_WRITE);
      flush();
    }
    if (!closed && !handedOver && (ops & SelectionKey.OP_READ) != 0) {
      read();
    }
  }

  private void read() {
    ByteString bytes;
    try {
      bytes = loop.read(channel);
    } catch (IOException e) {
      abort(); // reset by the client: as a stream's failure, the request in hand is let go of (H27)
      return;
    }
    if (bytes == null) {
      clientEnded();
      return;
    }
    if (bytes.isEmpty()) {
      return;
    }
    lastActivity = System.nanoTime();
    unread = unread.isEmpty() ? bytes : unread.concat(bytes);
    if (!busy) {
      next();
    } else if (unread.size() >= NioTransport.MAX_UNREAD) {
      readable(false); // until the request in hand is answered and the next one taken
    }
  }

  /** The client closed its side: an idle connection is over; a request in hand loses its client unless it was the last. */
  private void clientEnded() {
    readable(false); // the end stays readable: without this the selector would report it again and again
    ended = true;
    if (!busy) {
      finish();
      return;
    }
    connection.requestsEnded();
    if (!lastRequest) {
      // as Pekko's server: a client that closed its side cannot have its answer any more; one cut
      // off after its head went out is reset, so that the client cannot take it for whole
      close(answering);
    }
  }

  /**
   * Reads of a head that is not whole yet, past which the connection goes to Pekko's server: a
   * head comes in one read or a few, and each read parses it again from its start.
   */
  static final int MAX_INCOMPLETE_READS = 8;
  private int incompleteReads;

  /** Takes the next request from what was read, if it is whole; runs until one is in hand or none is left. */
  private boolean inNext;

  private void next() {
    if (inNext) {
      return; // the loop below takes it
    }
    inNext = true;
    try {
      // the bytes are copied out once and read from there, request after request (nothing is read
      // from the socket meanwhile: this is the loop's thread)
      byte[] a = null;
      int at = 0;
      while (!busy && !closed && !handedOver && !unread.isEmpty()) {
        if (a == null) {
          a = unread.toArray();
          at = 0;
        }
        Object r = ClientRequestHead.parse(a, at, a.length, remote, proxy.settings);
        if (r == ClientRequestHead.INCOMPLETE) {
          if (a.length - at >= NioTransport.MAX_UNREAD || ++incompleteReads > MAX_INCOMPLETE_READS) {
            handOver(); // a head this long, or this slow to come, is for Pekko's parser, which reads on where it stopped
          } else {
            readable(true);
          }
          return;
        }
        if (r == ClientRequestHead.UNHANDLED) {
          handOver();
          return;
        }
        ClientRequestHead.Parsed p = (ClientRequestHead.Parsed) r;
        at = p.end();
        incompleteReads = 0;
        unread = at == a.length ? ByteString.emptyByteString() : ByteString.fromArrayUnsafe(a, at, a.length - at);
        handle(p.request());
      }
    } finally {
      inNext = false;
    }
    if (!busy && !closed && !handedOver) {
      readable(true);
    }
  }

  private void handle(HttpRequest request) {
    busy = true;
    lastRequest = Exchange.lastRequest(request);
    headRequest = request.method().equals(HttpMethods.HEAD);
    CompletableFuture<HttpResponse> answer;
    try {
      answer = proxy.handle(request, connection).toCompletableFuture();
    } catch (RuntimeException bug) {
      LOG.error("the router failed to handle a request; its connection is closed", bug);
      abort();
      return;
    }
    if (answer.isDone()) {
      HttpResponse response = null;
      Throwable failure = null;
      try {
        response = answer.join(); // an answer of the router's own, at once
      } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
        failure = e;
      }
      respond(response, failure);
    } else {
      answer.whenComplete((response, failure) -> loop.onLoop(() -> respond(response, failure)));
    }
  }

  /** Writes the answer to the request in hand. */
  private void respond(HttpResponse response, Throwable failure) {
    if (closed) {
      if (response != null) {
        response.discardEntityBytes(proxy.materializer); // the client is gone: the body's watch lets its dyno go
      }
      return;
    }
    if (failure != null) {
      LOG.error("the router failed to answer a request; its connection is closed", failure);
      abort();
      return;
    }
    ClientResponseHead.Rendered out;
    try {
      out = ClientResponseHead.render(response, headRequest, lastRequest);
    } catch (RuntimeException bug) {
      LOG.error("the router failed to write an answer; its connection is closed", bug);
      response.discardEntityBytes(proxy.materializer);
      abort();
      return;
    }
    closeAfter = out.close();
    answering = true;
    framing = out.body();
    if (framing == ClientResponseHead.Body.LENGTH || framing == ClientResponseHead.Body.CHUNKED
        || framing == ClientResponseHead.Body.UNTIL_CLOSE) {
      streamed = response.entity();
      bodyDone = false;
      bodyBytes = 0;
      bodyLength = response.entity().getContentLengthOption().orElse(-1);
    } else if (!response.entity().isStrict()) {
      response.discardEntityBytes(proxy.materializer); // HEAD, 204, 304: the client reads no body
    }
    if (write(out.bytes().asByteBuffer())) {
      sent();
    }
  }

  /** Writes {@code b}; true when all of it went, else the rest goes when the socket has room ({@link #flush}). */
  private boolean write(ByteBuffer b) {
    try {
      if (channel.write(b) > 0) {
        lastActivity = System.nanoTime();
      }
    } catch (IOException e) {
      abort();
      return false;
    }
    if (b.hasRemaining()) {
      pending = b;
      key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
      return false;
    }
    return true;
  }

  private void flush() {
    ByteBuffer b = pending;
    if (b != null) {
      pending = null;
      if (write(b)) {
        sent();
      }
    }
  }

  /** All that was written so far went: start the body, take its next piece, or the answer is over. */
  private void sent() {
    if (closed) {
      return;
    }
    HttpEntity body = streamed;
    if (body != null) {
      streamed = null;
      try {
        body.getDataBytes().to(Sink.fromGraph(new ClientResponseBody(this))).withAttributes(dispatcher)
            .run(proxy.materializer);
      } catch (RuntimeException e) {
        LOG.error("the router could not stream an answer's body; its connection is reset", e);
        abort();
      }
      return;
    }
    if (feed != null && !bodyDone) {
      feed.more();
      return;
    }
    answered();
  }

  /** The body's stream started; false when the client is gone meanwhile. */
  boolean bodyStarted(ClientResponseBody.Feed f) {
    if (closed) {
      return false;
    }
    feed = f;
    return true;
  }

  /** A piece of the body; true when the socket took it all, so the next may come at once. */
  boolean piece(ByteString data) {
    if (closed) {
      return false;
    }
    bodyBytes += data.size();
    if (framing == ClientResponseHead.Body.LENGTH && bodyBytes > bodyLength) {
      abort(); // longer than its head said: the rest would be taken for the next answer
      return false;
    }
    ByteString framed = framing == ClientResponseHead.Body.CHUNKED ? ChunkedBody.frame(data) : data;
    return framed.isEmpty() || write(framed.asByteBuffer());
  }

  void bodyEnded() {
    if (closed) {
      return;
    }
    bodyDone = true;
    if (framing == ClientResponseHead.Body.LENGTH && bodyBytes != bodyLength) {
      abort(); // shorter than its head said: the client must not take it for whole
    } else if (framing == ClientResponseHead.Body.CHUNKED) {
      if (pending != null) {
        // the stream may end without waiting for the last piece to go: the end goes after it
        ByteBuffer both = ByteBuffer.allocate(pending.remaining() + ChunkedBody.LAST_CHUNK.size());
        both.put(pending).put(ChunkedBody.LAST_CHUNK.asByteBuffer()).flip();
        pending = both;
      } else if (write(ChunkedBody.LAST_CHUNK.asByteBuffer())) {
        sent();
      }
    } else if (pending == null) {
      sent();
    }
  }

  void bodyFailed(Throwable cause) {
    feed = null;
    abort(); // as Pekko's server: a body that breaks off cuts the connection, so the client sees it is not whole
  }

  /** The answer is all written: the connection closes or takes the next request. */
  private void answered() {
    busy = false;
    answering = false;
    feed = null;
    lastActivity = System.nanoTime();
    if (closeAfter || ended) {
      finish();
      return;
    }
    next();
  }

  private void readable(boolean on) {
    if (closed || handedOver || (on && ended) || on == reading) {
      return;
    }
    reading = on;
    key.interestOps(on ? key.interestOps() | SelectionKey.OP_READ : key.interestOps() & ~SelectionKey.OP_READ);
  }

  /** The connection goes to Pekko HTTP's server, with the bytes read and not used; only between requests. */
  private void handOver() {
    handedOver = true;
    if (idleNanos > 0) {
      loop.unwatch(this);
    }
    proxy.timeouts.closed(connection);
    key.interestOps(0); // the new owner registers for what it wants
    ByteString rest = unread;
    unread = ByteString.emptyByteString();
    handOver.serve(channel, rest);
  }

  @Override
  public void tick(long nowNanos) {
    if (!closed && !handedOver && nowNanos - lastActivity >= idleNanos) {
      if (busy) {
        abort();
      } else {
        finish();
      }
    }
  }

  /** Closes the connection with a normal end (FIN). */
  private void finish() {
    close(false);
  }

  /** Closes the connection with a reset, so that a cut-off answer cannot look whole. */
  private void abort() {
    close(true);
  }

  private void close(boolean reset) {
    if (closed) {
      return;
    }
    closed = true;
    NioTransport.close(channel, key, reset);
    if (idleNanos > 0) {
      loop.unwatch(this);
    }
    proxy.timeouts.closed(connection);
    connection.closed();
    ClientResponseBody.Feed f = feed;
    feed = null;
    if (f != null) {
      f.cancel();
    }
    streamed = null; // a body not started yet: the request's watch on its client lets its dyno go
    onClose.run();
  }
}
