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
  private RequestHead() {}

  /**
   * The head of the request {@code ex} as its dyno gets it, for {@code entity} (the client's,
   * perhaps watched); {@code port} is the router's ({@code X-Forwarded-Port}), {@code via} its
   * {@code Via} entry.
   */
  static ByteString proxied(Exchange ex, RequestEntity entity, int port, String via) {
    HttpRequest request = ex.request;
    HeadBytes b = new HeadBytes(384);
    HttpMethod method = request.method();
    String target = request.getUri().toRelative().toString();
    b.ascii(method.value()).put(' ').text(target.isEmpty() ? "/" : target).put(' ').ascii(request.protocol().value()).crlf();
    String clientVia = null;
    for (HttpHeader h : ModelHeaders.of(request)) {
      switch (HerokuHeaders.of(h, false)) {
        case PASS -> {
          if (!h.is("content-type") && !h.is("content-length")) { // the entity says these
            b.text(h.name()).put(':').put(' ').text(h.value()).crlf();
          }
        }
        case VIA -> clientVia = h.value();
        case DROP -> { }
      }
    }
    HerokuHeaders.added(ex, port, via, clientVia, (name, value) -> b.ascii(name).put(':').put(' ').text(value).crlf());
    if (entity.getContentType() != ContentTypes.NO_CONTENT_TYPE) {
      b.ascii("Content-Type: ").text(entity.getContentType().value()).crlf();
    }
    if (entity.isChunked() || entity.getContentLengthOption().isEmpty()) {
      b.ascii("Transfer-Encoding: chunked").crlf();
    } else {
      long length = entity.getContentLengthOption().getAsLong();
      if (method.isEntityAccepted() && (length > 0 || method.requestEntityAcceptance()
          == org.apache.pekko.http.scaladsl.model.RequestEntityAcceptance.Expected$.MODULE$)) {
        b.ascii("Content-Length: ").ascii(Long.toString(length)).crlf();
      }
    }
    b.crlf();
    return b.done();
  }
}
