package io.manifold.http;

import java.util.Locale;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.HttpHeader;

/**
 * Headers that belong to one connection and are never passed through a proxy (RFC 9110 7.6.1),
 * plus the ones Pekko HTTP adds for its own use and the ones the router sets itself.
 */
final class HopByHop {
  private static final Set<String> NAMES = Set.of(
      "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
      "te", "trailer", "transfer-encoding", "upgrade",
      "timeout-access", "remote-address", "raw-request-uri", "tls-session-info");

  private HopByHop() {}

  static boolean isHopByHop(HttpHeader header) {
    return NAMES.contains(header.lowercaseName());
  }

  static boolean is(HttpHeader header, String lowercaseName) {
    return header.lowercaseName().equals(lowercaseName.toLowerCase(Locale.ROOT));
  }
}
