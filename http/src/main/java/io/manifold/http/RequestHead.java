package io.manifold.http;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.util.ByteString;

/**
 * A request's head as the router sends it to a dyno ({@link DynoRequest}): the request line in
 * origin form; the client's headers in their order, but for the hop-by-hop ones (RFC 9110 7.6.1)
 * and those the router sets itself; Heroku's headers ({@code X-Request-Id}, {@code X-Forwarded-*},
 * {@code X-Request-Start}, {@code Via}); and the framing of its body, as Pekko HTTP's client
 * rendered it (a {@code Content-Length} only where the method takes a body, {@code
 * Transfer-Encoding: chunked} for a body of unknown length). Written straight to bytes, without
 * a request model in between. A header value outside ASCII is written in UTF-8, the encoding
 * Pekko's server read it in, so that the dyno gets the bytes the client sent.
 */
final class RequestHead {
  private static final byte[] CRLF = {'\r', '\n'};

  private RequestHead() {}

  /** What the router does with a client's header, by its name. */
  private enum Kind { PASS, DROP, VIA }

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
    String viaBefore = null;
    for (HttpHeader h : request.getHeaders()) {
      String name = h.name();
      switch (kind(name)) {
        case PASS -> b.text(name).put(':').put(' ').text(h.value()).put(CRLF);
        case VIA -> viaBefore = h.value();
        case DROP -> { }
      }
    }
    b.ascii("X-Request-Id: ").text(ex.requestId).put(CRLF);
    b.ascii("X-Forwarded-For: ").text(ex.fwd).put(CRLF);
    b.ascii("X-Forwarded-Proto: http").put(CRLF);
    b.ascii("X-Forwarded-Port: ").ascii(Integer.toString(port)).put(CRLF);
    b.ascii("X-Request-Start: ").ascii(Long.toString(ex.receivedMillis)).put(CRLF);
    b.ascii("Via: ");
    if (viaBefore != null) {
      b.text(viaBefore).ascii(", ");
    }
    b.text(via).put(CRLF);
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

  /**
   * Hop-by-hop headers, those Pekko adds for its own use, the body's framing (the entity says it)
   * and the ones the router sets are dropped; {@code Via} is extended. By length first, so that
   * a header passed on costs no lower-casing.
   */
  private static Kind kind(String name) {
    return switch (name.length()) {
      case 2 -> is(name, "te");
      case 3 -> name.equalsIgnoreCase("via") ? Kind.VIA : Kind.PASS;
      case 7 -> is(name, "trailer", "upgrade");
      case 10 -> is(name, "connection", "keep-alive");
      case 12 -> is(name, "content-type", "x-request-id");
      case 14 -> is(name, "content-length", "timeout-access", "remote-address");
      case 15 -> is(name, "x-forwarded-for", "x-request-start", "raw-request-uri");
      case 16 -> is(name, "proxy-connection", "x-forwarded-port", "tls-session-info");
      case 17 -> is(name, "transfer-encoding", "x-forwarded-proto");
      case 18 -> is(name, "proxy-authenticate");
      case 19 -> is(name, "proxy-authorization");
      default -> Kind.PASS;
    };
  }

  private static Kind is(String name, String... dropped) {
    for (String d : dropped) {
      if (name.equalsIgnoreCase(d)) {
        return Kind.DROP;
      }
    }
    return Kind.PASS;
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

    /** Any string: ASCII as it is, other chars in UTF-8. */
    Bytes text(String s) {
      int len = s.length();
      room(len);
      for (int i = 0; i < len; i++) {
        char c = s.charAt(i);
        if (c < 0x80) {
          a[n++] = (byte) c;
        } else {
          byte[] utf8 = s.substring(i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
          put(utf8);
          return this;
        }
      }
      return this;
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
