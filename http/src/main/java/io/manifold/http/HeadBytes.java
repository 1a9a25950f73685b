package io.manifold.http;

import org.apache.pekko.util.ByteString;

/**
 * A message head being written (the router's request to a dyno, {@link RequestHead}; its answer to
 * a client, {@link ClientResponseHead}): a growing byte array, handed over to a ByteString
 * without a copy.
 */
final class HeadBytes {
  private byte[] a;
  private int n;

  HeadBytes(int size) {
    a = new byte[size];
  }

  HeadBytes put(int c) {
    room(1);
    a[n++] = (byte) c;
    return this;
  }

  HeadBytes put(byte[] bytes) {
    room(bytes.length);
    System.arraycopy(bytes, 0, a, n, bytes.length);
    n += bytes.length;
    return this;
  }

  /**
   * One byte per char, its low one: for a string known to be ASCII, and for a dyno's header,
   * which was read one char per byte (ISO-8859-1, {@link ResponseHead}) and so goes out as it came.
   */
  @SuppressWarnings("deprecation")
  HeadBytes ascii(String s) {
    int len = s.length();
    room(len);
    s.getBytes(0, len, a, n); // the deprecated form copies the low byte of each char, which for ASCII is the char
    n += len;
    return this;
  }

  /**
   * Any string: ASCII as it is, other chars in UTF-8. The chars are copied out in one go and
   * read from the copy: {@code charAt} per char, with its bounds and coder checks, was the
   * router's largest own cost per request.
   */
  HeadBytes text(String s) {
    int len = s.length();
    if (len > SCRATCH) {
      return put(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    char[] chars = scratch();
    s.getChars(0, len, chars, 0);
    room(len);
    byte[] out = a;
    int at = n;
    for (int i = 0; i < len; i++) {
      char c = chars[i];
      if (c >= 0x80) {
        n = at;
        return put(s.substring(i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      out[at++] = (byte) c;
    }
    n = at;
    return this;
  }

  /** Chars of at most this many are copied to the thread's scratch array; longer ones are encoded at once. */
  private static final int SCRATCH = 1024;
  private static final ThreadLocal<char[]> SCRATCHES = ThreadLocal.withInitial(() -> new char[SCRATCH]);

  private static char[] scratch() {
    return SCRATCHES.get();
  }

  private void room(int more) {
    if (n + more > a.length) {
      a = java.util.Arrays.copyOf(a, Math.max(a.length * 2, n + more));
    }
  }

  ByteString done() {
    return ByteString.fromArrayUnsafe(a, 0, n);
  }

  HeadBytes put(ByteString bytes) {
    room(bytes.size());
    bytes.copyToArray(a, n, bytes.size());
    n += bytes.size();
    return this;
  }

  HeadBytes crlf() {
    return put('\r').put('\n');
  }
}
