package io.manifold.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpProtocols;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import org.apache.pekko.util.ByteString;

/**
 * An answer's head as the router writes it to its client ({@link ClientWire}), by the rules of
 * Pekko HTTP's response renderer, which wrote it before and still does for connections the
 * router hands to Pekko: the entity says the body's type and framing (a {@code Content-Type},
 * {@code Content-Length} or {@code Transfer-Encoding} among the headers is left out); a
 * {@code Date} of the router's own unless the answer has one; no {@code Server} of its own; no
 * length and no body for a status that has none (1xx, 204, 304), the length but no body for an
 * answer to HEAD; {@code Connection: close} when the connection closes after it; a header's
 * chars one byte each, as they were read from the dyno.
 */
final class ClientResponseHead {
  /** How the body follows the head. */
  enum Body {
    /** None: the head is all (HEAD, 204, 304, or an empty body). */
    NONE,
    /** Whole, already in the rendered bytes. */
    WHOLE,
    /** Streamed, of the length the head gives. */
    LENGTH,
    /** Streamed in chunks. */
    CHUNKED,
    /** Streamed until the connection closes. */
    UNTIL_CLOSE
  }

  /** The bytes to write (the head, and a whole body), how the rest follows, and whether the connection closes after. */
  record Rendered(ByteString bytes, Body body, boolean close) {}

  private static final DateTimeFormatter DATE = DateTimeFormatter
      .ofPattern("'Date: 'EEE, dd MMM yyyy HH:mm:ss 'GMT\r\n'", Locale.US).withZone(ZoneOffset.UTC);
  /** The Date line of the current second, made once a second. */
  private static volatile Dated date = new Dated(-1, null);

  private record Dated(long second, byte[] line) {}

  private ClientResponseHead() {}

  /** {@code response} as an answer to a request with {@code method}; {@code close} when the connection closes after it anyway. */
  static Rendered render(HttpResponse response, boolean headRequest, boolean close) {
    int status = response.status().intValue();
    boolean allowsBody = status >= 200 && status != 204 && status != 304;
    ResponseEntity entity = response.entity();
    boolean untilClose = entity.isCloseDelimited();
    boolean noBody = headRequest || !allowsBody;
    close |= response.protocol().equals(HttpProtocols.HTTP_1_0); // a dyno's HTTP/1.0 answer ends the connection, as in Pekko's renderer
    close |= untilClose && !noBody; // the body's end is the connection's
    HeadBytes b = new HeadBytes(256);
    b.ascii(response.protocol().value()).put(' ').ascii(Integer.toString(status)).put(' ').ascii(response.status().reason()).crlf();
    boolean dated = false;
    for (HttpHeader h : ModelHeaders.of(response)) {
      String name = h.lowercaseName();
      switch (name) {
        case "content-type", "content-length", "transfer-encoding" -> {
          continue; // the entity's say
        }
        case "date" -> dated = true;
        case "connection" -> {
          if (h.value().toLowerCase(Locale.ROOT).contains("close")) {
            close = true;
          }
          continue; // written below, once
        }
        default -> { }
      }
      b.ascii(h.name()).put(':').put(' ').ascii(h.value()).crlf();
    }
    if (!dated) {
      b.put(dateLine());
    }
    if (close) {
      b.ascii("Connection: close").crlf();
    }
    boolean chunked = !entity.isStrict() && !untilClose && entity.getContentLengthOption().isEmpty();
    if (chunked && allowsBody) {
      b.ascii("Transfer-Encoding: chunked").crlf(); // before the type, where Pekko's renderer puts it
    }
    if (entity.getContentType() != ContentTypes.NO_CONTENT_TYPE) {
      b.ascii("Content-Type: ").ascii(entity.getContentType().toString()).crlf();
    }
    Body body;
    ByteString whole = null;
    if (entity.isStrict()) {
      ByteString data = ((HttpEntity.Strict) entity).getData();
      if (allowsBody) {
        b.ascii("Content-Length: ").ascii(Integer.toString(data.size())).crlf();
      }
      whole = noBody || data.isEmpty() ? null : data;
      body = whole == null ? Body.NONE : Body.WHOLE;
    } else if (entity.getContentLengthOption().isPresent() && !untilClose) {
      if (allowsBody) {
        b.ascii("Content-Length: ").ascii(Long.toString(entity.getContentLengthOption().getAsLong())).crlf();
      }
      body = noBody ? Body.NONE : Body.LENGTH;
    } else if (untilClose) {
      body = noBody ? Body.NONE : Body.UNTIL_CLOSE;
    } else {
      body = noBody ? Body.NONE : Body.CHUNKED;
    }
    b.crlf();
    if (whole != null) {
      b.put(whole);
    }
    return new Rendered(b.done(), body, close);
  }

  private static byte[] dateLine() {
    long now = System.currentTimeMillis() / 1000;
    Dated d = date;
    if (d.second != now) {
      d = new Dated(now, DATE.format(Instant.ofEpochSecond(now)).getBytes(StandardCharsets.US_ASCII));
      date = d;
    }
    return d.line;
  }
}
