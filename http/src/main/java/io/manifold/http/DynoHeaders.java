package io.manifold.http;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
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
 * <p>Bound: {@link ParsedOnce#MAX_VALUES} values per name (and of {@code Content-Type}); past it the table
 * starts over, which for {@code Date} (one value a second) is about once a minute.
 */
final class DynoHeaders {
  private static final Map<String, Optional<HttpHeader>> DATES = new ConcurrentHashMap<>();
  private static final Map<String, Optional<HttpHeader>> SERVERS = new ConcurrentHashMap<>();
  private static final Map<String, ContentType> CONTENT_TYPES = new ConcurrentHashMap<>();

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
    return ParsedOnce.get(known, raw.value(), v -> parse(raw)).orElse(null);
  }

  /**
   * A dyno's {@code Content-Type} as Pekko's model, which the entity carries (and the renderer
   * writes from); one Pekko cannot read is {@code application/octet-stream}, as its parser had it.
   * Parsed once per distinct value, as Date and Server are.
   */
  static ContentType contentType(String value) {
    if (value == null) {
      return ContentTypes.NO_CONTENT_TYPE;
    }
    return ParsedOnce.get(CONTENT_TYPES, value, v -> {
      try {
        return ContentTypes.parse(v);
      } catch (RuntimeException e) {
        return ContentTypes.APPLICATION_OCTET_STREAM;
      }
    });
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
