package io.manifold.http;

import io.manifold.core.routing.HCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.util.ByteString;

/**
 * A dyno's response head, as {@link DynoWire} read it: the status, the headers to pass on (raw,
 * in the dyno's order and spelling), and what frames the body. Header values are read as
 * ISO-8859-1, one char per byte, which Pekko's response renderer writes back one byte per char:
 * a dyno's header reaches the client byte for byte, whatever its encoding.
 *
 * @param contentLength the body's length, or -1 when the head gives none
 * @param close the dyno closes the connection after this response ({@code Connection: close}, or
 *     HTTP/1.0 without keep-alive)
 */
record ResponseHead(int status, String reason, boolean http10, List<HttpHeader> headers, String contentType,
    long contentLength, boolean chunked, boolean close) {

  /** An informational response (100 Continue, 103 Early Hints): a final one follows on the connection. */
  boolean interim() {
    return status >= 100 && status < 200 && status != 101;
  }

  /**
   * Reads response heads from a connection's bytes, one at a time, within Heroku's limits. Bounds:
   * the status line at {@code maxStatusLine} bytes (longer: H25 "oversized status line"), each
   * header line at {@code maxHeaderLine} (H25 "oversized header"), the whole head at
   * {@link #MAX_HEAD} (Heroku's response buffer, or two header lines if those are set larger) and
   * {@link #MAX_HEADERS} headers (both H25 "oversized header"). Whatever is not well formed is a
   * poorly formatted response, H17.
   */
  static final class Reader {
    /** Heroku's response buffer per connection (LIMITS). */
    static final int MAX_HEAD = 1 << 20;
    static final int MAX_HEADERS = 1000;

    private final int maxStatusLine;
    private final int maxHeaderLine;
    private final int maxHead;
    private byte[] buf = new byte[512];
    private int filled;
    /** Where the search for the head's end goes on. */
    private int scanned;
    private int lineStart;
    private int lines;

    Reader(int maxStatusLine, int maxHeaderLine) {
      this.maxStatusLine = maxStatusLine;
      this.maxHeaderLine = maxHeaderLine;
      this.maxHead = Math.max(MAX_HEAD, 2 * maxHeaderLine);
    }

    /** True while no byte of a head has come. */
    boolean empty() {
      return filled == 0;
    }

    /**
     * Takes {@code chunk}; returns how many of its bytes belong to the head once the head is
     * complete (the rest is body, or the next response), or -1 while it needs more.
     */
    int feed(ByteString chunk) {
      int base = filled;
      int n = chunk.length();
      if (filled + n > buf.length) {
        byte[] bigger = new byte[Math.max(buf.length * 2, filled + n)];
        System.arraycopy(buf, 0, bigger, 0, filled);
        buf = bigger;
      }
      chunk.copyToArray(buf, filled, n);
      filled += n;
      for (int i = scanned; i < filled; i++) {
        if (buf[i] != '\n') {
          continue;
        }
        int end = i > lineStart && buf[i - 1] == '\r' ? i - 1 : i;
        if (end == lineStart) {
          if (lines > 0) {
            scanned = i + 1;
            return scanned - base;
          }
          lineStart = i + 1; // an empty line before the status line is let pass (RFC 9112 2.2)
          continue;
        }
        checkLength(end - lineStart);
        lines++;
        lineStart = i + 1;
        if (lines > MAX_HEADERS + 1) {
          throw tooLarge();
        }
      }
      scanned = filled;
      checkLength(filled - lineStart);
      if (filled > maxHead) {
        throw tooLarge();
      }
      return -1;
    }

    private DynoWire.BadResponse tooLarge() {
      return new DynoWire.BadResponse(HCode.H25, "oversized header", "a response head over " + maxHead + " bytes or "
          + MAX_HEADERS + " headers");
    }

    private void checkLength(int length) {
      if (lines == 0 && length > maxStatusLine) {
        throw new DynoWire.BadResponse(HCode.H25, "oversized status line", "a status line over " + maxStatusLine + " bytes");
      }
      if (lines > 0 && length > maxHeaderLine) {
        throw new DynoWire.BadResponse(HCode.H25, "oversized header", "a header line over " + maxHeaderLine + " bytes");
      }
    }

    /** The head {@link #feed} found complete; the reader then starts on the next one. */
    ResponseHead head() {
      int end = scanned;
      int pos = 0;
      ResponseHead.Builder b = null;
      HeaderLines known = HeaderLines.here();
      while (pos < end) {
        int nl = pos;
        while (buf[nl] != '\n') {
          nl++;
        }
        int lineEnd = nl > pos && buf[nl - 1] == '\r' ? nl - 1 : nl;
        if (lineEnd > pos) {
          if (b == null) {
            b = statusLine(pos, lineEnd);
          } else {
            headerLine(b, known, pos, lineEnd);
          }
        }
        pos = nl + 1;
      }
      filled = scanned = lineStart = lines = 0;
      if (buf.length > 64 * 1024) {
        buf = new byte[512]; // one large head does not keep its buffer for the connection's life
      }
      return b.build();
    }

    private Builder statusLine(int from, int to) {
      int len = to - from;
      if (len < 12 || buf[from] != 'H' || buf[from + 1] != 'T' || buf[from + 2] != 'T' || buf[from + 3] != 'P'
          || buf[from + 4] != '/' || buf[from + 5] != '1' || buf[from + 6] != '.' || !digit(buf[from + 7])
          || buf[from + 8] != ' ' || !digit(buf[from + 9]) || !digit(buf[from + 10]) || !digit(buf[from + 11])) {
        throw new DynoWire.BadResponse(HCode.H17, null, "not an HTTP/1.x status line: " + text(from, Math.min(to, from + 40)));
      }
      int status = (buf[from + 9] - '0') * 100 + (buf[from + 10] - '0') * 10 + (buf[from + 11] - '0');
      if (len == 12) {
        throw new StatusLineCheck.MissingReasonPhrase(text(from, to));
      }
      if (buf[from + 12] != ' ' || status < 100 || status > 599) {
        throw new DynoWire.BadResponse(HCode.H17, null, "a malformed status line: " + text(from, Math.min(to, from + 40)));
      }
      return new Builder(status, text(from + 13, to), buf[from + 7] == '0');
    }

    private void headerLine(Builder b, HeaderLines known, int from, int to) {
      if (buf[from] == ' ' || buf[from] == '\t') {
        b.continued(text(from, to).trim()); // obs-fold (RFC 9112 5.2): the line goes on the previous value
        return;
      }
      int colon = from;
      while (colon < to && buf[colon] != ':') {
        if (!tokenChar(buf[colon])) {
          throw new DynoWire.BadResponse(HCode.H17, null, "a malformed header line: " + text(from, Math.min(to, from + 40)));
        }
        colon++;
      }
      if (colon == to || colon == from) {
        throw new DynoWire.BadResponse(HCode.H17, null, "a header line without a name and a colon: "
            + text(from, Math.min(to, from + 40)));
      }
      int v = HeaderLines.valueStart(buf, colon, to);
      b.header(known.header(buf, from, colon, v, HeaderLines.valueEnd(buf, v, to)));
    }

    private String text(int from, int to) {
      return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static boolean digit(byte c) {
      return c >= '0' && c <= '9';
    }

    /** RFC 9110 5.6.2's tchar, by byte. */
    private static final boolean[] TOKEN = new boolean[128];

    static {
      for (char c = '!'; c < 127; c++) {
        TOKEN[c] = "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
      }
    }

    private static boolean tokenChar(byte c) {
      return c > 0 && TOKEN[c];
    }
  }

  /** A head as its lines are read. */
  private static final class Builder {
    private final int status;
    private final String reason;
    private final boolean http10;
    private final List<HttpHeader> headers = new ArrayList<>(12);
    private String contentType;
    private long contentLength = -1;
    private boolean chunked;
    private boolean close;
    private boolean keepAlive;
    /** The last header line's name and value, which an obs-fold line continues. */
    private String lastName;
    private String lastValue;
    private boolean lastKept;

    Builder(int status, String reason, boolean http10) {
      this.status = status;
      this.reason = reason;
      this.http10 = http10;
    }

    /** A header line as read: its header, which goes on to the client unless it is one of the framing ones. */
    void header(RawHeader line) {
      String name = line.name();
      String value = line.value();
      lastName = name;
      lastValue = value;
      lastKept = false;
      if (name.equalsIgnoreCase("content-length")) {
        long length = contentLength(value);
        if (contentLength >= 0 && contentLength != length) {
          throw new DynoWire.BadResponse(HCode.H25, "invalid content length", "two Content-Length headers that differ");
        }
        contentLength = length;
      } else if (name.equalsIgnoreCase("content-type")) {
        contentType = value;
      } else if (name.equalsIgnoreCase("transfer-encoding")) {
        // the last coding says whether the body is chunked (RFC 9112 6.3); other codings are the body's own
        int comma = value.lastIndexOf(',');
        chunked = value.substring(comma + 1).trim().equalsIgnoreCase("chunked");
      } else {
        if (name.equalsIgnoreCase("connection")) {
          for (int from = 0; from <= value.length(); ) {
            int comma = value.indexOf(',', from);
            int to = comma < 0 ? value.length() : comma;
            String token = value.substring(from, to).trim();
            close |= token.equalsIgnoreCase("close");
            keepAlive |= token.equalsIgnoreCase("keep-alive");
            from = to + 1;
          }
        }
        headers.add(line);
        lastKept = true;
      }
    }

    void continued(String more) {
      if (lastName == null) {
        throw new DynoWire.BadResponse(HCode.H17, null, "a folded line before any header");
      }
      if (lastKept) {
        headers.remove(headers.size() - 1);
      }
      String name = lastName;
      String value = lastValue.isEmpty() ? more : lastValue + " " + more;
      if (name.equalsIgnoreCase("content-length")) {
        contentLength = -1;
      }
      header(RawHeader.create(name, value));
    }

    private static long contentLength(String value) {
      if (value.isEmpty() || value.length() > 18) {
        throw new DynoWire.BadResponse(HCode.H25, "invalid content length", "Content-Length: " + value);
      }
      long n = 0;
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c < '0' || c > '9') {
          throw new DynoWire.BadResponse(HCode.H25, "invalid content length", "Content-Length: " + value);
        }
        n = n * 10 + (c - '0');
      }
      return n;
    }

    ResponseHead build() {
      boolean closes = http10 ? !keepAlive : close;
      return new ResponseHead(status, reason, http10, headers, contentType, chunked ? -1 : contentLength, chunked, closes);
    }
  }
}
