package io.manifold.http;

import org.apache.pekko.util.ByteString;

/**
 * Chunked bodies (RFC 9112 7.1): the framing of a body the router sends in chunks ({@link #frame},
 * {@link #LAST_CHUNK}: a request body of unknown length to a dyno, an answer's streamed body to a
 * client), and the decoding of a dyno's chunked body, as its bytes come: chunk sizes, their
 * data, and the trailer, which is read and left out (the router passes on the data; the client's
 * connection is chunked anew). Bound: a size line or a trailer line at {@link #MAX_LINE} bytes;
 * longer, or anything else that is not a chunk, breaks the body ({@link DynoWire.BrokenBody}).
 */
final class ChunkedBody {
  static final int MAX_LINE = 8192;
  /** The end of a chunked body: the last chunk, and no trailer. */
  static final ByteString LAST_CHUNK = ByteString.fromString("0\r\n\r\n");
  private static final ByteString CRLF = ByteString.fromString("\r\n");

  /** {@code data} as one chunk: its size in hex, the bytes, CRLF; nothing for no bytes (an empty chunk would end the body). */
  static ByteString frame(ByteString data) {
    return data.isEmpty() ? data : ByteString.fromString(Integer.toHexString(data.size()) + "\r\n").concat(data).concat(CRLF);
  }

  private enum State { SIZE, DATA, DATA_END, TRAILER, DONE }

  private State state = State.SIZE;
  private long remaining;
  private int lineLength;
  private boolean sizeSeen;
  private boolean inExtension;
  private boolean crSeen;
  private ByteString rest = ByteString.emptyByteString();

  /** The body's data in {@code input}; once {@link #done}, {@link #rest} holds what came after the body. */
  ByteString decode(ByteString input) {
    ByteString data = ByteString.emptyByteString();
    int n = input.length();
    int i = 0;
    while (i < n && state != State.DONE) {
      switch (state) {
        case SIZE -> i = size(input, i);
        case DATA -> {
          int take = (int) Math.min(remaining, n - i);
          data = data.concat(input.slice(i, i + take));
          i += take;
          remaining -= take;
          if (remaining == 0) {
            state = State.DATA_END;
          }
        }
        case DATA_END -> {
          byte c = input.apply(i++);
          if (c == '\n') {
            state = State.SIZE;
            crSeen = false;
          } else if (c != '\r' || crSeen) {
            throw broken("a chunk longer than its size");
          } else {
            crSeen = true;
          }
        }
        case TRAILER -> {
          byte c = input.apply(i++);
          if (c == '\n') {
            if (lineLength == 0) {
              state = State.DONE;
            }
            lineLength = 0;
          } else if (c != '\r' && ++lineLength > MAX_LINE) {
            throw broken("a trailer line over " + MAX_LINE + " bytes");
          }
        }
        default -> throw new IllegalStateException(state.name());
      }
    }
    rest = state == State.DONE ? input.drop(i) : ByteString.emptyByteString();
    return data;
  }

  boolean done() {
    return state == State.DONE;
  }

  ByteString rest() {
    return rest;
  }

  /** Reads a size line's bytes from {@code i}; returns where it stopped. */
  private int size(ByteString input, int i) {
    int n = input.length();
    while (i < n) {
      byte c = input.apply(i++);
      if (c == '\n') {
        if (!sizeSeen) {
          throw broken("a chunk size line without a size");
        }
        state = remaining == 0 ? State.TRAILER : State.DATA;
        lineLength = 0;
        sizeSeen = false;
        inExtension = false;
        return i;
      }
      if (++lineLength > MAX_LINE) {
        throw broken("a chunk size line over " + MAX_LINE + " bytes");
      }
      if (c == '\r' || inExtension) {
        continue;
      }
      if (c == ';' || c == ' ' || c == '\t') {
        inExtension = true; // chunk extensions mean nothing to a proxy
        continue;
      }
      int digit = Character.digit(c, 16);
      if (digit < 0 || remaining > (Long.MAX_VALUE >> 4)) {
        throw broken("a chunk size that is not a hexadecimal number");
      }
      remaining = remaining * 16 + digit;
      sizeSeen = true;
    }
    return i;
  }

  private static DynoWire.BrokenBody broken(String what) {
    return new DynoWire.BrokenBody("the dyno's chunked body broke: " + what);
  }
}
