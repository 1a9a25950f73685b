package io.manifold.http;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.util.ByteString;

/**
 * A request's head as the router sends it to a dyno ({@link DynoRequest}): the request line in
 * origin form; the client's headers in their order, and Heroku's, as {@link HerokuHeaders} says;
 * and the framing of its body, as Pekko HTTP's client
 * rendered it (a {@code Content-Length} only where the method takes a body, {@code
 * Transfer-Encoding: chunked} for a body of unknown length). Written straight to bytes, without
 * a request model in between. A header value outside ASCII is written in UTF-8, the encoding
 * Pekko's server read it in, so that the dyno gets the bytes the client sent.
 */
final class RequestHead {
  private static final byte[] CRLF = {'\r', '\n'};

  private RequestHead() {}

  /**
   * The head of the request {@code ex} as its dyno gets it, for {@code entity} (the client's,
   * perhaps watched); {@code port} is the router's ({@code X-Forwarded-Port}), {@code via} its
   * {@code Via} entry.
   */
  static ByteString proxied(Exchange ex, RequestEntity entity, int port, String via) {
    HttpRequest request = ex.request;
    Bytes b = new Bytes(384);
    HttpMethod method = request.method();
    String target = request.getUri().toRelative().toString();
    b.ascii(method.value()).put(' ').text(target.isEmpty() ? "/" : target).put(' ').ascii(request.protocol().value()).put(CRLF);
    String clientVia = null;
    for (HttpHeader h : request.getHeaders()) {
      switch (HerokuHeaders.of(h, false)) {
        case PASS -> {
          if (!h.is("content-type") && !h.is("content-length")) { // the entity says these
            b.text(h.name()).put(':').put(' ').text(h.value()).put(CRLF);
          }
        }
        case VIA -> clientVia = h.value();
        case DROP -> { }
      }
    }
    HerokuHeaders.added(ex, port, via, clientVia, (name, value) -> b.ascii(name).put(':').put(' ').text(value).put(CRLF));
    if (entity.getContentType() != ContentTypes.NO_CONTENT_TYPE) {
      b.ascii("Content-Type: ").text(entity.getContentType().value()).put(CRLF);
    }
    if (entity.isChunked() || entity.getContentLengthOption().isEmpty()) {
      b.ascii("Transfer-Encoding: chunked").put(CRLF);
    } else {
      long length = entity.getContentLengthOption().getAsLong();
      if (method.isEntityAccepted() && (length > 0 || method.requestEntityAcceptance()
          == org.apache.pekko.http.scaladsl.model.RequestEntityAcceptance.Expected$.MODULE$)) {
        b.ascii("Content-Length: ").ascii(Long.toString(length)).put(CRLF);
      }
    }
    b.put(CRLF);
    return b.done();
  }

  /** A growing byte array, handed over to a ByteString without a copy. */
  private static final class Bytes {
    private byte[] a;
    private int n;

    Bytes(int size) {
      a = new byte[size];
    }

    Bytes put(int c) {
      room(1);
      a[n++] = (byte) c;
      return this;
    }

    Bytes put(byte[] bytes) {
      room(bytes.length);
      System.arraycopy(bytes, 0, a, n, bytes.length);
      n += bytes.length;
      return this;
    }

    /** A string known to be ASCII. */
    Bytes ascii(String s) {
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
    Bytes text(String s) {
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
  }
}
