package io.manifold.http;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.scaladsl.model.IllegalHeaderException;

/**
 * A dyno's {@code Date} and {@code Server} headers in the form Pekko HTTP's response renderer
 * takes them. The router's parsers leave headers raw ({@code modeled-header-parsing = off},
 * {@link RouterFront}): a proxy passes headers on as they came and has no use for their model, and
 * parsing into it was the router's largest single site of allocation by JFR's sample weight (a
 * dyno's {@code Date} is new every second, so Pekko's header cache never holds it; measured, 6%
 * less allocation per request without it). The renderer, though,
 * drops a raw {@code Date} or {@code Server} with a warning and writes a {@code Date} of its own;
 * so these two are parsed here, once per distinct value. One that does not parse is left out, as
 * Pekko did with it before (the client then gets the router's {@code Date}).
 *
 * <p>Bound: {@link #MAX_VALUES} values per name; past it the table starts over, which for
 * {@code Date} (one value a second) is about once a minute.
 */
final class DynoHeaders {
  static final int MAX_VALUES = 64;
  private static final Map<String, Optional<HttpHeader>> DATES = new ConcurrentHashMap<>();
  private static final Map<String, Optional<HttpHeader>> SERVERS = new ConcurrentHashMap<>();

  private DynoHeaders() {}

  /** {@code h} as the renderer takes it: itself, its model, or null when it is to be left out. */
  static HttpHeader forClient(HttpHeader h) {
    if (!(h instanceof RawHeader)) {
      return h;
    }
    if (h.is("date")) {
      return modeled(DATES, h);
    }
    if (h.is("server")) {
      return modeled(SERVERS, h);
    }
    return h;
  }

  private static HttpHeader modeled(Map<String, Optional<HttpHeader>> known, HttpHeader raw) {
    Optional<HttpHeader> m = known.get(raw.value());
    if (m == null) {
      m = parse(raw);
      if (known.size() >= MAX_VALUES) {
        known.clear();
      }
      known.put(raw.value(), m);
    }
    return m.orElse(null);
  }

  private static Optional<HttpHeader> parse(HttpHeader raw) {
    try {
      HttpHeader parsed = HttpHeader.parse(raw.name(), raw.value());
      return parsed instanceof RawHeader ? Optional.empty() : Optional.of(parsed);
    } catch (IllegalHeaderException e) {
      return Optional.empty();
    }
  }
}
