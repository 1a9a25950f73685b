package io.manifold.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.util.ByteString;

/**
 * A client's request as the router reads it itself ({@link ClientWire}), into the request model
 * {@link Proxy} takes, built as Pekko HTTP's server builds it with the router's settings
 * ({@link RouterFront#serverConfig}): headers raw but {@code Host} and {@code Connection}, the
 * body's type and length on its entity, the target in strict parsing.
 *
 * <p>Only the common request is read here: HTTP/1.1, a known method, a target that is a path,
 * one {@code Host}, printable ASCII, lines within Heroku's limits, and a body of known length
 * that has come whole. Anything else is {@link #UNHANDLED}: its connection goes to Pekko HTTP's
 * server with the bytes read so far, whose parser, error pages, H26 lines, {@code Expect},
 * upgrades, WebSockets, HTTP/1.0 and streamed bodies then answer it exactly as before. So the
 * router's own parser need not be a complete one to be a correct one.
 */
final class ClientRequestHead {
  /** The bytes hold no whole head yet. */
  static final Object INCOMPLETE = new Object();
  /** A request this parser leaves to Pekko HTTP's server. */
  static final Object UNHANDLED = new Object();

  /** A request read whole: its model, and where in the bytes it ends (after its head and body). */
  record Parsed(HttpRequest request, int end) {}

  /** Models parsed once per distinct value ({@link ParsedOnce}). */
  private static final Map<String, Optional<HttpHeader>> HOSTS = new ConcurrentHashMap<>();
  private static final Map<String, Optional<HttpHeader>> CONNECTIONS = new ConcurrentHashMap<>();
  private static final Map<String, Optional<ContentType>> CONTENT_TYPES = new ConcurrentHashMap<>();
  private static final HttpMethod[] METHODS = {HttpMethods.GET, HttpMethods.HEAD, HttpMethods.POST, HttpMethods.PUT,
      HttpMethods.DELETE, HttpMethods.PATCH, HttpMethods.OPTIONS};
  private static final byte[] VERSION = {'H', 'T', 'T', 'P', '/', '1', '.', '1'};

  private ClientRequestHead() {}

  /**
   * Reads a request from {@code a}, from {@code from} up to {@code n}: a {@link Parsed}, or
   * {@link #INCOMPLETE}, or {@link #UNHANDLED}. A line still without its end that is already over
   * its limit is {@link #UNHANDLED}, so a head that trickles in is not read again and again for
   * long.
   */
  static Object parse(byte[] a, int from, int n, RemoteAddress remote, RouterSettings s) {
    int eol = lineEnd(a, from, n);
    if (eol < 0) {
      return eol == -1 && n - from <= s.maxRequestLine() ? INCOMPLETE : UNHANDLED;
    }
    HttpMethod method = null;
    int sp = from;
    while (sp < eol && a[sp] != ' ') {
      sp++;
    }
    for (HttpMethod m : METHODS) {
      if (is(a, from, sp, m.value())) {
        method = m;
        break;
      }
    }
    int target = sp + 1;
    int targetEnd = target;
    while (targetEnd < eol && a[targetEnd] > ' ' && a[targetEnd] < 0x7f && a[targetEnd] != '#') {
      targetEnd++;
    }
    if (method == null || target >= eol || a[target] != '/' || (targetEnd > target + 1 && a[target + 1] == '/')
        || targetEnd + 1 + VERSION.length != eol || a[targetEnd] != ' '
        || !java.util.Arrays.equals(a, targetEnd + 1, eol, VERSION, 0, VERSION.length)
        || method.value().length() + (targetEnd - target) + 10 > s.maxRequestLine()
        || dotSegment(a, target, targetEnd)) {
      return UNHANDLED; // a fragment, or a dot segment, which Pekko's server removes from the path
    }
    List<HttpHeader> headers = new ArrayList<>(12);
    HttpHeader host = null;
    HttpHeader connection = null;
    ContentType type = null;
    long length = -1;
    HeaderLines lines = HeaderLines.here();
    int at = eol + 2;
    while (true) {
      eol = lineEnd(a, at, n);
      if (eol < 0) {
        return eol == -1 && n - at <= s.maxHeaderLine() && headers.size() < s.maxHeaders() ? INCOMPLETE : UNHANDLED;
      }
      if (eol == at) {
        at += 2;
        break;
      }
      if (headers.size() >= s.maxHeaders() || eol - at > s.maxHeaderLine()) {
        return UNHANDLED;
      }
      int colon = at;
      while (colon < eol && token(a[colon])) {
        colon++;
      }
      if (colon == at || colon == eol || a[colon] != ':') {
        return UNHANDLED; // no name, a space before the colon, a fold, a char no name has
      }
      int v = HeaderLines.valueStart(a, colon, eol);
      int vEnd = HeaderLines.valueEnd(a, v, eol);
      for (int i = v; i < vEnd; i++) {
        if (a[i] < ' ' || a[i] >= 0x7f) {
          return UNHANDLED; // a tab, control chars, or bytes beyond ASCII: Pekko's reading of them stays the one
        }
      }
      RawHeader line = lines.header(a, at, colon, v, vEnd);
      String name = line.name();
      String value = line.value();
      at = eol + 2;
      switch (name.length()) {
        case 4 -> {
          if (name.equalsIgnoreCase("host")) {
            if (host != null || value.isEmpty() || (host = ParsedOnce.get(HOSTS, value, HOST).orElse(null)) == null) {
              return UNHANDLED;
            }
            headers.add(host);
            continue;
          }
        }
        case 6 -> {
          if (name.equalsIgnoreCase("expect")) {
            return UNHANDLED;
          }
        }
        case 7 -> {
          if (name.equalsIgnoreCase("upgrade")) {
            return UNHANDLED;
          }
        }
        case 10 -> {
          if (name.equalsIgnoreCase("connection")) {
            if (connection != null || (connection = ParsedOnce.get(CONNECTIONS, value, CONNECTION).orElse(null)) == null) {
              return UNHANDLED; // Pekko joins the tokens of several
            }
            headers.add(connection);
            continue;
          }
        }
        case 12 -> {
          if (name.equalsIgnoreCase("content-type")) {
            if (type != null || (type = ParsedOnce.get(CONTENT_TYPES, value, CONTENT_TYPE).orElse(null)) == null) {
              return UNHANDLED;
            }
            continue;
          }
        }
        case 14 -> {
          if (name.equalsIgnoreCase("content-length")) {
            if (length >= 0 || value.isEmpty() || value.length() > 15) {
              return UNHANDLED;
            }
            length = 0;
            for (int i = 0; i < value.length(); i++) {
              char c = value.charAt(i);
              if (c < '0' || c > '9') {
                return UNHANDLED;
              }
              length = length * 10 + (c - '0');
            }
            continue;
          }
        }
        case 16 -> {
          if (name.equalsIgnoreCase("content-encoding")) {
            return UNHANDLED; // Pekko reads it as a model, and writes it to the dyno as one
          }
        }
        case 17 -> {
          if (name.equalsIgnoreCase("transfer-encoding")) {
            return UNHANDLED;
          }
        }
        default -> { }
      }
      if (name.regionMatches(true, 0, "sec-websocket", 0, 13)) {
        return UNHANDLED; // Pekko reads these as models, and WebSockets are its to serve anyway
      }
      headers.add(line);
    }
    if (host == null) {
      return UNHANDLED; // HTTP/1.1 needs one: Pekko's answer to its lack stays the one
    }
    if (length > n - at) {
      return UNHANDLED; // a body still on its way streams through Pekko's server, watched for H27 and H28
    }
    if (length > 0 && method == HttpMethods.HEAD) {
      return UNHANDLED; // Pekko's server refuses it: a dyno could take the body for a next request
    }
    int body = (int) Math.max(0, length);
    RequestEntity entity;
    if (body == 0) {
      entity = type == null ? HttpEntities.EMPTY : HttpEntities.create(type, ByteString.emptyByteString());
    } else {
      entity = HttpEntities.create(type == null ? ContentTypes.APPLICATION_OCTET_STREAM : type, ByteString.fromArray(a, at, body));
    }
    Uri uri;
    try {
      @SuppressWarnings("deprecation")
      String t = new String(a, 0, target, targetEnd - target);
      uri = Uri.create(t, Uri.STRICT);
    } catch (RuntimeException e) {
      return UNHANDLED;
    }
    HttpRequest request = ModelHeaders.with(HttpRequest.create().withMethod(method).withUri(uri), headers, entity)
        .addAttribute(AttributeKeys.remoteAddress, remote);
    return new Parsed(request, at + body);
  }

  /** Whether the path (up to a query) has a segment that is or may decode to {@code .} or {@code ..}. */
  private static boolean dotSegment(byte[] a, int from, int to) {
    for (int i = from; i < to && a[i] != '?'; i++) {
      if ((a[i] == '.' && a[i - 1] == '/') || (a[i] == '%' && i + 2 < to && a[i + 1] == '2' && (a[i + 2] | 0x20) == 'e')) {
        return true; // "/." starts one (and "/.well-known" is left too: the cost of a simple test)
      }
    }
    return false;
  }

  /**
   * Where the line from {@code from} ends (its CR): -1 when no end is in the bytes yet, -2 when a
   * bare LF or CR ends it (Pekko's to judge).
   */
  private static int lineEnd(byte[] a, int from, int n) {
    for (int i = from; i < n; i++) {
      byte b = a[i];
      if (b == '\r') {
        if (i + 1 >= n) {
          return -1;
        }
        return a[i + 1] == '\n' ? i : -2;
      }
      if (b == '\n') {
        return -2;
      }
    }
    return -1;
  }

  private static boolean is(byte[] a, int from, int to, String ascii) {
    if (to - from != ascii.length()) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (a[from + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** A char of a header name (RFC 9110's tchar). */
  private static boolean token(byte b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-' || b == '_'
        || b == '.' || b == '!' || b == '#' || b == '$' || b == '%' || b == '&' || b == '\'' || b == '*' || b == '+'
        || b == '^' || b == '`' || b == '|' || b == '~';
  }

  /** The parsers of the two tables: made once, so that a look-up allocates nothing when the value is known. */
  private static final Function<String, Optional<HttpHeader>> HOST = v -> model("Host", v);
  private static final Function<String, Optional<HttpHeader>> CONNECTION = v -> model("Connection", v);
  private static final Function<String, Optional<ContentType>> CONTENT_TYPE = v -> {
    try {
      return Optional.of(ContentTypes.parse(v));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  };

  private static Optional<HttpHeader> model(String name, String value) {
    try {
      HttpHeader h = HttpHeader.parse(name, value);
      return h instanceof RawHeader ? Optional.empty() : Optional.of(h);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
