package io.manifold.sim.live;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One connection to a synthetic web dyno, on its runtime's loop thread. It reads one request at a
 * time and hands it to the dyno; the next request on the connection (HTTP/1.1 keep-alive, or one
 * sent early) is read only once the answer to this one has been written, as a one-request-at-a-time
 * server would. While a request is with the dyno the connection keeps reading, so that a client
 * that goes away is noticed; the request goes on (the app does not know), and its answer is dropped.
 *
 * <p>Bounds: the input buffer grows from {@value #INITIAL_BUFFER} bytes to the largest request
 * head ({@link HttpRequestReader#MAX_HEAD}); past that, with a request outstanding, reading stops
 * until it is answered. One answer is written at a time.
 */
final class HttpConnection implements NioLoop.Handler {
  static final int INITIAL_BUFFER = 2048;

  private final LiveDyno dyno;
  private final SocketChannel channel;
  private final SelectionKey key;
  private final HttpRequestReader reader = new HttpRequestReader();
  /** Bytes read and not yet parsed, in write mode. */
  private ByteBuffer in = ByteBuffer.allocate(INITIAL_BUFFER);
  private ByteBuffer out;
  private boolean closeAfterWrite;
  /** A request of this connection is with the dyno (waiting or in service). */
  private boolean outstanding;
  private boolean closed;

  HttpConnection(LiveDyno dyno, SocketChannel channel, NioLoop loop) throws IOException {
    this.dyno = dyno;
    this.channel = channel;
    channel.configureBlocking(false);
    channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
    this.key = channel.register(loop.selector(), SelectionKey.OP_READ, this);
  }

  /** No request read, none being read, nothing being written: may be closed without loss. */
  boolean idle() {
    return !outstanding && out == null && !reader.midRequest() && in.position() == 0;
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public void ready(SelectionKey k) {
    if (k.isValid() && k.isWritable()) {
      flush();
    }
    if (!closed && k.isValid() && k.isReadable()) {
      read();
    }
  }

  private void read() {
    if (!in.hasRemaining()) {
      if (in.capacity() >= HttpRequestReader.MAX_HEAD) {
        interest(); // full: wait for the outstanding answer before reading on
        return;
      }
      in = ByteBuffer.allocate(Math.min(in.capacity() * 2, HttpRequestReader.MAX_HEAD)).put(in.flip());
    }
    int n;
    try {
      n = channel.read(in);
    } catch (IOException e) {
      close();
      return;
    }
    if (n < 0) {
      close(); // the client went away; a request it left with the dyno is answered to nobody
      return;
    }
    parse();
  }

  /** Hands the next complete request to the dyno, unless one is outstanding or being answered. */
  private void parse() {
    if (closed || outstanding || out != null) {
      interest();
      return;
    }
    in.flip();
    HttpRequestReader.Head head;
    try {
      head = reader.next(in);
    } catch (HttpRequestReader.BadRequest e) {
      in.compact();
      respond(e.status, "text/plain", e.getMessage() + "\n", false, null, true);
      return;
    }
    in.compact();
    if (head != null) {
      outstanding = true;
      dyno.arrived(this, head);
    }
    interest();
  }

  /**
   * Writes an answer. Called by the dyno for the outstanding request (or for a bad one).
   *
   * @param headers extra header lines, each ending in CRLF, or null
   * @param keepAlive false to close the connection once it is written
   */
  void respond(int status, String contentType, String body, boolean keepAlive, String headers, boolean head) {
    outstanding = false;
    if (closed) {
      return;
    }
    byte[] content = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder h = new StringBuilder(256)
        .append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n")
        .append("Content-Type: ").append(contentType).append("\r\n")
        .append("Content-Length: ").append(content.length).append("\r\n");
    if (headers != null) {
      h.append(headers);
    }
    if (!keepAlive) {
      h.append("Connection: close\r\n");
    }
    h.append("\r\n");
    byte[] headBytes = h.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer buf = ByteBuffer.allocate(headBytes.length + (head ? 0 : content.length)).put(headBytes);
    if (!head) {
      buf.put(content);
    }
    out = buf.flip();
    closeAfterWrite = !keepAlive;
    flush();
  }

  /** The HEAD method: the answer has no body. */
  void respond(int status, String body, boolean keepAlive, String headers, HttpRequestReader.Head request) {
    respond(status, "text/plain; charset=utf-8", body, keepAlive, headers, "HEAD".equals(request.method()));
  }

  private void flush() {
    try {
      channel.write(out);
    } catch (IOException e) {
      close();
      return;
    }
    if (out.hasRemaining()) {
      interest();
      return;
    }
    out = null;
    if (closeAfterWrite) {
      close();
      return;
    }
    parse(); // a request that came early is served now
  }

  private void interest() {
    if (closed || !key.isValid()) {
      return;
    }
    int ops = 0;
    if (out != null) {
      ops |= SelectionKey.OP_WRITE;
    }
    if (out == null && (in.hasRemaining() || in.capacity() < HttpRequestReader.MAX_HEAD)) {
      ops |= SelectionKey.OP_READ;
    }
    key.interestOps(ops);
  }

  /** Closes the socket without a word: to the router, a connection closed without response (H13). */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    key.cancel();
    try {
      channel.close();
    } catch (IOException ignored) {
      // closed either way
    }
    dyno.closed(this);
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      case 505 -> "HTTP Version Not Supported";
      default -> "Status";
    };
  }
}
