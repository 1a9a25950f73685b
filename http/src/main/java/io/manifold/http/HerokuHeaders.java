package io.manifold.http;

import java.util.function.BiConsumer;
import org.apache.pekko.http.javadsl.model.HttpHeader;

/**
 * The request headers the router sets for the dyno (HEROKU.md 1.3), and what becomes of the
 * client's own, in one place for both ways a request goes out: as bytes ({@link RequestHead}) for
 * a plain request, as Pekko's models ({@link Proxy#outgoing}) for an upgrade or a WebSocket.
 */
final class HerokuHeaders {
  /** What becomes of a client's header on its way to the dyno. */
  enum Kind {
    /** Passed on as it came. */
    PASS,
    /** Left out: hop-by-hop, or one the router sets itself. */
    DROP,
    /** The router's own entry is added to it. */
    VIA
  }

  private HerokuHeaders() {}

  /** {@code h}'s fate; a request that asks for an upgrade keeps the Upgrade and Connection that ask for it. */
  static Kind of(HttpHeader h, boolean upgrade) {
    String name = h.lowercaseName();
    if (HopByHop.isHopByHop(h)) {
      return upgrade && (name.equals("upgrade") || name.equals("connection")) ? Kind.PASS : Kind.DROP;
    }
    return switch (name) {
      case "x-request-id", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-port", "x-request-start" -> Kind.DROP;
      case "via" -> Kind.VIA;
      default -> Kind.PASS;
    };
  }

  /**
   * The router's headers for {@code ex}, each given to {@code out} as a name and a value: {@code port}
   * is the router's, {@code via} its entry, {@code clientVia} the client's {@code Via} (or null).
   */
  static void added(Exchange ex, int port, String via, String clientVia, BiConsumer<String, String> out) {
    out.accept("X-Request-Id", ex.requestId);
    out.accept("X-Forwarded-For", ex.fwd);
    out.accept("X-Forwarded-Proto", "http");
    out.accept("X-Forwarded-Port", Integer.toString(port));
    out.accept("X-Request-Start", Long.toString(ex.receivedMillis));
    out.accept("Via", clientVia == null ? via : clientVia + ", " + via);
  }
}
