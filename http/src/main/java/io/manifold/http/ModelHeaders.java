package io.manifold.http;

import java.util.Arrays;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMessage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import scala.collection.immutable.ArraySeq;
import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The headers of Pekko HTTP's request and response models, read and set through the models' Scala
 * side. Their Java side allocates on every use: {@code withHeaders(Iterable)} copies a Java list
 * into a new Vector, {@code getHeader(name)} lower-cases the name and walks the headers with a
 * closure into two Optionals, and {@code getHeaders()} wraps the list and its iterator. On a plain
 * request's path through the router that came to about a fifth of what it allocated (JFR's
 * allocation samples on the router threads), and allocation sets how often young pauses come.
 * Here a list the router built is wrapped as it is ({@link ArraySeq}), and a look-up is a loop.
 *
 * <p>Every header in Pekko's model is a Scala-side header ({@code scaladsl.model.HttpHeader}, of
 * which the Java one is the parent); the casts below rest on that.
 */
final class ModelHeaders {
  private static final org.apache.pekko.http.scaladsl.model.HttpHeader[] NONE =
      new org.apache.pekko.http.scaladsl.model.HttpHeader[0];

  private ModelHeaders() {
  }

  /** {@code request} with {@code headers} (the list is copied once, into an array the model keeps). */
  static HttpRequest with(HttpRequest request, List<HttpHeader> headers) {
    return ((org.apache.pekko.http.scaladsl.model.HttpRequest) request).withHeaders(seq(headers));
  }

  /** {@code request} with {@code headers} and {@code entity}, in one copy of the model. */
  static HttpRequest with(HttpRequest request, List<HttpHeader> headers, RequestEntity entity) {
    return ((org.apache.pekko.http.scaladsl.model.HttpRequest) request)
        .withHeadersAndEntity(seq(headers), (org.apache.pekko.http.scaladsl.model.RequestEntity) entity);
  }

  /** {@code response} with {@code headers}. */
  static HttpResponse with(HttpResponse response, List<HttpHeader> headers) {
    return ((org.apache.pekko.http.scaladsl.model.HttpResponse) response).withHeaders(seq(headers));
  }

  /** {@code response} with {@code headers} and {@code entity}, in one copy of the model. */
  static HttpResponse with(HttpResponse response, List<HttpHeader> headers, ResponseEntity entity) {
    return ((org.apache.pekko.http.scaladsl.model.HttpResponse) response)
        .withHeadersAndEntity(seq(headers), (org.apache.pekko.http.scaladsl.model.ResponseEntity) entity);
  }

  /**
   * The message's headers, to walk (not to change): a view of the array itself when the router
   * built them, Pekko's view otherwise (its parser's headers, a Scala list).
   */
  @SuppressWarnings("unchecked")
  static Iterable<HttpHeader> of(HttpMessage message) {
    Seq<org.apache.pekko.http.scaladsl.model.HttpHeader> hs = scalaHeaders(message);
    // the router's arrays are of headers; an ArraySeq that Scala grew (a header added to one of
    // them) holds an Object[], which is walked through Pekko's view instead
    if (hs instanceof ArraySeq.ofRef<?> wrapped && wrapped.unsafeArray() instanceof HttpHeader[] array) {
      return Arrays.asList(array);
    }
    return (Iterable<HttpHeader>) (Iterable<?>) CollectionConverters.asJava(hs);
  }

  /** The message's first header named {@code lowercaseName} (in lower case), or null. */
  static HttpHeader find(HttpMessage message, String lowercaseName) {
    return first(message, lowercaseName, null);
  }

  /**
   * The message's first header of model {@code type} ({@code Host}, {@code Connection}), or null. A
   * raw header of that name is not one: Pekko's server keeps a value it could not parse as a raw
   * header, and its own reading of the request (the URI's host, the connection's end) follows the
   * model, so the router's does too.
   */
  static <T extends HttpHeader> T find(HttpMessage message, Class<T> type) {
    return type.cast(first(message, null, type));
  }

  /**
   * The first header named {@code lowercaseName}, or (with no name) of model {@code type}: by index
   * where the list is indexed (the router's ArraySeq, a Vector), so that the walk allocates
   * nothing; by iterator through Pekko's parser's List.
   */
  private static HttpHeader first(HttpMessage message, String lowercaseName, Class<?> type) {
    Seq<org.apache.pekko.http.scaladsl.model.HttpHeader> hs = scalaHeaders(message);
    if (hs instanceof IndexedSeq<?>) {
      for (int i = 0, n = hs.length(); i < n; i++) {
        HttpHeader h = hs.apply(i);
        if (lowercaseName != null ? h.is(lowercaseName) : type.isInstance(h)) {
          return h;
        }
      }
      return null;
    }
    for (var it = hs.iterator(); it.hasNext(); ) {
      HttpHeader h = it.next();
      if (lowercaseName != null ? h.is(lowercaseName) : type.isInstance(h)) {
        return h;
      }
    }
    return null;
  }

  /** The value of the message's first header named {@code lowercaseName}, or null. */
  static String value(HttpMessage message, String lowercaseName) {
    HttpHeader h = find(message, lowercaseName);
    return h == null ? null : h.value();
  }

  private static Seq<org.apache.pekko.http.scaladsl.model.HttpHeader> scalaHeaders(HttpMessage message) {
    return ((org.apache.pekko.http.scaladsl.model.HttpMessage) message).headers();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Seq<org.apache.pekko.http.scaladsl.model.HttpHeader> seq(List<HttpHeader> headers) {
    return new ArraySeq.ofRef(headers.toArray(NONE));
  }
}
