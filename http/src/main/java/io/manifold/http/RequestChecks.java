package io.manifold.http;

import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Heroku's limits on a client's request (HEROKU.md section 1.5), checked before the request goes
 * anywhere: a request line and each header line of at most 8 KB, at most 1,000 headers, and no
 * {@code Expect} but {@code 100-continue}. Pekko HTTP's own parser limits are set above these
 * (see {@link RouterFront#serverConfig}), so that a request over Heroku's limit still reaches
 * the router, which then knows its app and logs H26 there. What Pekko refuses by itself (a
 * conflicting {@code Content-Length}, {@code Transfer-Encoding} with {@code Content-Length},
 * two {@code Host}s) goes through {@link HerokuParsingErrors}.
 */
final class RequestChecks {
  /** Why a request is refused: the status and Heroku's {@code cause=}. */
  record Refusal(int status, String cause) {}

  static final Refusal EXPECT = new Refusal(417, "unsupported expect header value");
  static final Refusal BAD_HEADER = new Refusal(400, "bad header");
  static final Refusal BAD_REQUEST_LINE = new Refusal(400, "bad request line");

  private RequestChecks() {}

  /** Null when the request is within the limits. {@code path} is its path and query as sent. */
  static Refusal check(HttpRequest request, String method, String path, RouterSettings s) {
    // METHOD SP request-target SP HTTP/1.1
    if (method.length() + path.length() + 10 > s.maxRequestLine()) {
      return BAD_REQUEST_LINE;
    }
    int count = 0;
    for (HttpHeader h : ModelHeaders.of(request)) {
      String name = h.lowercaseName();
      if (name.equals("timeout-access") || name.equals("raw-request-uri")) {
        continue; // Pekko's own, not the client's
      }
      count++;
      String value = h.value();
      if (name.length() + 2 + value.length() > s.maxHeaderLine()) {
        return BAD_HEADER;
      }
      if (name.equals("expect") && !value.equalsIgnoreCase("100-continue")) {
        return EXPECT;
      }
    }
    return count > s.maxHeaders() ? BAD_HEADER : null;
  }
}
