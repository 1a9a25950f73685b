package io.manifold.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Header lines read before, with the raw header each was read as, by the line's bytes: one table
 * per thread that reads heads ({@link ClientRequestHead} for clients, {@link ResponseHead} for
 * dynos, on the router threads). A client sends the same {@code User-Agent} and {@code Accept}
 * with every request and a dyno the same {@code Server} and {@code Content-Type} with every
 * answer; reading each into a name, a value, a lower-cased name and a header again was about a
 * sixth of what the router allocated per request (JFR's allocation samples). A line read before
 * costs a hash and a compare of its bytes instead.
 *
 * <p>Bounds: {@link #SLOTS} lines per thread, each at most {@link #MAX_LINE} bytes (longer ones,
 * cookies and tokens, are made anew each time and not kept). A line whose slot holds another line
 * takes the slot, so the table never grows and a line that never comes again (an id) costs one
 * copy of its bytes. Text is one char per byte (ISO-8859-1), as both readers read it.
 */
final class HeaderLines {
  static final int SLOTS = 256;
  static final int MAX_LINE = 256;

  private static final ThreadLocal<HeaderLines> TABLES = ThreadLocal.withInitial(HeaderLines::new);

  private final byte[][] lines = new byte[SLOTS][];
  private final RawHeader[] headers = new RawHeader[SLOTS];

  /** Where a header line's value starts: after its colon ({@code colon}) and the spaces and tabs that follow. */
  static int valueStart(byte[] a, int colon, int end) {
    int v = colon + 1;
    while (v < end && (a[v] == ' ' || a[v] == '\t')) {
      v++;
    }
    return v;
  }

  /** Where a header line's value ends: before the spaces and tabs that end the line at {@code end}. */
  static int valueEnd(byte[] a, int start, int end) {
    int w = end;
    while (w > start && (a[w - 1] == ' ' || a[w - 1] == '\t')) {
      w--;
    }
    return w;
  }

  /** This thread's table. */
  static HeaderLines here() {
    return TABLES.get();
  }

  /**
   * The header of the line that runs from {@code from} (its name) to {@code valueEnd} (its
   * value's end, spaces trimmed), with its colon at {@code colon} and its value from
   * {@code valueFrom}: the one made before for the same bytes, or a new one.
   */
  RawHeader header(byte[] a, int from, int colon, int valueFrom, int valueEnd) {
    int length = valueEnd - from;
    if (length > MAX_LINE) {
      return make(a, from, colon, valueFrom, valueEnd);
    }
    int hash = 0;
    for (int i = from; i < valueEnd; i++) {
      hash = 31 * hash + a[i];
    }
    int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
    byte[] known = lines[slot];
    if (known != null && Arrays.equals(known, 0, known.length, a, from, valueEnd)) {
      return headers[slot];
    }
    RawHeader made = make(a, from, colon, valueFrom, valueEnd);
    lines[slot] = Arrays.copyOfRange(a, from, valueEnd);
    headers[slot] = made;
    return made;
  }

  private static RawHeader make(byte[] a, int from, int colon, int valueFrom, int valueEnd) {
    return RawHeader.create(new String(a, from, colon - from, StandardCharsets.ISO_8859_1),
        new String(a, valueFrom, valueEnd - valueFrom, StandardCharsets.ISO_8859_1));
  }
}
