package io.manifold.sim.live;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads HTTP/1.1 requests off a connection's bytes, as much as a synthetic app needs: the request
 * line, the headers it acts on, and the body, which it reads to the end (by
 * {@code Content-Length} or chunked) and throws away. A request is handed over only once its body
 * has been read, so that the next request on the connection starts where it should.
 *
 * <p>Bounds: a head (request line and headers) of at most {@value #MAX_HEAD} bytes (then 431), a
 * chunk-size or trailer line of at most {@value #MAX_LINE} bytes (then 400); a body is never kept.
 */
final class HttpRequestReader {
  static final int MAX_HEAD = 64 * 1024;
  static final int MAX_LINE = 4096;

  /** What a synthetic app looks at in a request. */
  /**
   * @param service {@code X-Manifold-Service}: the request's service time, or null
   * @param draw {@code X-Manifold-Draw}: a seed for the request's own draw from the dyno's service
   *     distribution, or null
   */
  record Head(String method, String target, boolean keepAlive, String service, String draw) {}

  /** A request the app cannot read: answered with {@code status} and the connection closed. */
  static final class BadRequest extends Exception {
    final int status;

    BadRequest(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private enum Phase { HEAD, FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILER }

  private Phase phase = Phase.HEAD;
  /** Bytes of the head already searched for its end, so that a slow head is not searched again. */
  private int scanned;
  private long remaining;
  private Head head;

  /**
   * Consumes what it can of {@code in} (in read mode) and returns a request once one is complete,
   * or null when it needs more bytes.
   */
  Head next(ByteBuffer in) throws BadRequest {
    while (true) {
      switch (phase) {
        case HEAD -> {
          skipEmptyLines(in);
          int end = headEnd(in);
          if (end < 0) {
            if (in.remaining() >= MAX_HEAD) {
              throw new BadRequest(431, "request head larger than " + MAX_HEAD + " bytes");
            }
            return null;
          }
          byte[] bytes = new byte[end - in.position()];
          in.get(bytes);
          in.position(in.position() + 4);
          scanned = 0;
          parseHead(new String(bytes, StandardCharsets.ISO_8859_1));
          if (phase == Phase.HEAD) {
            return done();
          }
        }
        case FIXED -> {
          skip(in);
          if (remaining > 0) {
            return null;
          }
          return done();
        }
        case CHUNK_SIZE -> {
          String line = line(in);
          if (line == null) {
            return null;
          }
          int semicolon = line.indexOf(';');
          String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).strip();
          try {
            remaining = Long.parseLong(hex, 16);
          } catch (NumberFormatException e) {
            throw new BadRequest(400, "bad chunk size '" + hex + "'");
          }
          if (remaining < 0) {
            throw new BadRequest(400, "bad chunk size '" + hex + "'");
          }
          phase = remaining == 0 ? Phase.TRAILER : Phase.CHUNK_DATA;
        }
        case CHUNK_DATA -> {
          skip(in);
          if (remaining > 0) {
            return null;
          }
          phase = Phase.CHUNK_END;
        }
        case CHUNK_END -> {
          String line = line(in);
          if (line == null) {
            return null;
          }
          if (!line.isEmpty()) {
            throw new BadRequest(400, "a chunk does not end with CRLF");
          }
          phase = Phase.CHUNK_SIZE;
        }
        case TRAILER -> {
          String line = line(in);
          if (line == null) {
            return null;
          }
          if (line.isEmpty()) {
            return done();
          }
        }
        default -> throw new IllegalStateException(phase.toString());
      }
    }
  }

  /** True while part of a request has been read: the connection is not idle. */
  boolean midRequest() {
    return phase != Phase.HEAD || scanned > 0;
  }

  private Head done() {
    Head h = head;
    head = null;
    phase = Phase.HEAD;
    return h;
  }

  private void parseHead(String text) throws BadRequest {
    String[] lines = text.split("\r\n", -1);
    String[] requestLine = lines[0].split(" ", -1);
    if (requestLine.length != 3 || requestLine[0].isEmpty() || requestLine[1].isEmpty()) {
      throw new BadRequest(400, "bad request line '" + lines[0] + "'");
    }
    String version = requestLine[2];
    if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
      throw new BadRequest(505, "HTTP version '" + version + "' not supported");
    }
    long contentLength = -1;
    boolean chunked = false;
    boolean close = false;
    boolean keepAlive = false;
    String service = null;
    String draw = null;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new BadRequest(400, "bad header line '" + line + "'");
      }
      String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      switch (name) {
        case "content-length" -> {
          long n;
          try {
            n = Long.parseLong(value);
          } catch (NumberFormatException e) {
            throw new BadRequest(400, "bad Content-Length '" + value + "'");
          }
          if (n < 0 || (contentLength >= 0 && n != contentLength)) {
            throw new BadRequest(400, "bad Content-Length '" + value + "'");
          }
          contentLength = n;
        }
        case "transfer-encoding" -> {
          String te = value.toLowerCase(Locale.ROOT);
          if (!te.endsWith("chunked")) {
            throw new BadRequest(501, "Transfer-Encoding '" + value + "' not supported");
          }
          chunked = true;
        }
        case "connection" -> {
          for (String token : value.toLowerCase(Locale.ROOT).split(",")) {
            close |= token.strip().equals("close");
            keepAlive |= token.strip().equals("keep-alive");
          }
        }
        case "x-manifold-service" -> service = value;
        case "x-manifold-draw" -> draw = value;
        default -> { }
      }
    }
    boolean persistent = version.equals("HTTP/1.1") ? !close : keepAlive && !close;
    head = new Head(requestLine[0], requestLine[1], persistent, service, draw);
    if (chunked) {
      phase = Phase.CHUNK_SIZE;
    } else if (contentLength > 0) {
      remaining = contentLength;
      phase = Phase.FIXED;
    } else {
      phase = Phase.HEAD;
    }
  }

  /** Index of the {@code \r\n\r\n} that ends the head, or -1. */
  private int headEnd(ByteBuffer in) {
    int from = in.position() + Math.max(0, scanned - 3);
    int limit = in.limit();
    for (int i = from; i + 3 < limit; i++) {
      if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
        return i;
      }
    }
    scanned = in.remaining();
    return -1;
  }

  /** Empty lines before a request line are allowed (RFC 9112, 2.2). */
  private void skipEmptyLines(ByteBuffer in) {
    if (scanned > 0) {
      return;
    }
    while (in.remaining() >= 2 && in.get(in.position()) == '\r' && in.get(in.position() + 1) == '\n') {
      in.position(in.position() + 2);
    }
  }

  private void skip(ByteBuffer in) {
    int n = (int) Math.min(remaining, in.remaining());
    in.position(in.position() + n);
    remaining -= n;
  }

  /** A line ended by LF (a CR before it dropped), or null if it has not all arrived. */
  private static String line(ByteBuffer in) throws BadRequest {
    for (int i = in.position(); i < in.limit(); i++) {
      if (in.get(i) == '\n') {
        int len = i - in.position();
        byte[] bytes = new byte[len];
        in.get(bytes);
        in.get();
        String s = new String(bytes, StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      if (i - in.position() > MAX_LINE) {
        break;
      }
    }
    if (in.remaining() > MAX_LINE) {
      throw new BadRequest(400, "a chunk line longer than " + MAX_LINE + " bytes");
    }
    return null;
  }
}
