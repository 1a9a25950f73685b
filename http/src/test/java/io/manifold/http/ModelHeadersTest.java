package io.manifold.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import org.apache.pekko.http.javadsl.model.headers.Connection;
import org.apache.pekko.http.javadsl.model.headers.Host;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The router's header look-ups and lists read the same through its own lists (an array) as
 * through the Scala list that Pekko's parser gives a request it read.
 */
class ModelHeadersTest {
  private static final List<HttpHeader> HEADERS = List.of(
      Host.create("app.localhost", 8080),
      RawHeader.create("X-Request-Id", "first"),
      RawHeader.create("x-request-id", "second"),
      Connection.create("Keep-Alive", "Close"));

  /** As Pekko's server builds a request it read: the headers in a Scala List. */
  private static HttpRequest parsedByPekko() {
    List<org.apache.pekko.http.scaladsl.model.HttpHeader> scala = HEADERS.stream()
        .map(h -> (org.apache.pekko.http.scaladsl.model.HttpHeader) h).toList();
    return ((org.apache.pekko.http.scaladsl.model.HttpRequest) HttpRequest.create())
        .withHeaders(CollectionConverters.asScala(scala).toList());
  }

  private static HttpRequest builtByTheRouter() {
    return ModelHeaders.with(HttpRequest.create(), HEADERS);
  }

  @Test
  void aLookUpFindsTheFirstHeaderOfItsNameInAnyCaseAndNullWhenThereIsNone() {
    for (HttpRequest r : List.of(parsedByPekko(), builtByTheRouter())) {
      assertEquals("first", ModelHeaders.value(r, "x-request-id"));
      assertEquals("app.localhost:8080", ModelHeaders.value(r, "host"));
      assertInstanceOf(Host.class, ModelHeaders.find(r, "host"));
      assertEquals(HEADERS.get(0), ModelHeaders.find(r, Host.class));
      assertNull(ModelHeaders.find(r, "x-forwarded-for"));
      assertNull(ModelHeaders.value(r, "upgrade"));
      assertEquals(true, Exchange.lastRequest(r), "Connection names close, in another case");
    }
    assertEquals(false, Exchange.lastRequest(HttpRequest.create()));
    assertEquals(false, Exchange.lastRequest(ModelHeaders.with(HttpRequest.create(),
        List.of(RawHeader.create("Connection", "keep-alive")))));
  }

  @Test
  void aModelLookUpPassesOverARawHeaderOfItsName() {
    // Pekko's server keeps a Host or Connection it could not parse as a raw header, and reads the
    // request by the model: so does the router
    HttpRequest r = ModelHeaders.with(HttpRequest.create(), List.of(
        RawHeader.create("Host", "evil.localhost:1x"), Host.create("shop.localhost", 5000), RawHeader.create("Connection", "close/1")));
    assertEquals("shop.localhost:5000", ModelHeaders.find(r, Host.class).value());
    assertNull(ModelHeaders.find(r, Connection.class));
    assertEquals(false, Exchange.lastRequest(r), "a Connection Pekko could not read does not end the connection");
  }

  @Test
  void aHeaderAddedToTheRoutersListIsWalkedToo() {
    // Scala grows an ArraySeq into one over an Object[]: the walk must not take that for the router's array
    HttpRequest r = builtByTheRouter().addHeader(RawHeader.create("X-Added", "yes"));
    List<HttpHeader> walked = new ArrayList<>();
    ModelHeaders.of(r).forEach(walked::add);
    assertEquals(HEADERS.size() + 1, walked.size());
    assertEquals("yes", ModelHeaders.value(r, "x-added"));
  }

  @Test
  void aWalkGivesEveryHeaderInOrderWhicheverListHoldsThem() {
    for (HttpRequest r : List.of(parsedByPekko(), builtByTheRouter())) {
      List<HttpHeader> walked = new ArrayList<>();
      ModelHeaders.of(r).forEach(walked::add);
      assertEquals(HEADERS, walked);
    }
  }

  @Test
  void settingHeadersAndAnEntityKeepsTheirOrderAndTheRestOfTheMessage() {
    ResponseEntity entity = HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, "hello");
    HttpResponse before = HttpResponse.create().withStatus(201);
    HttpResponse after = ModelHeaders.with(before, HEADERS, entity);
    assertEquals(201, after.status().intValue());
    assertSame(entity, after.entity());
    List<HttpHeader> walked = new ArrayList<>();
    after.getHeaders().forEach(walked::add);
    assertEquals(HEADERS, walked, "Pekko's own view reads the wrapped array as the list it was");
    assertEquals(HEADERS.get(1), after.getHeader("X-Request-Id").orElseThrow());
  }
}
