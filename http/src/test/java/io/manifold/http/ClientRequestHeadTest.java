package io.manifold.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.headers.Host;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;

/**
 * What the router reads of a client's request itself, and what it leaves to Pekko HTTP's server.
 * Leaving a request is always safe (Pekko reads it as before); reading one wrongly is not, so
 * every kind of request the router must leave is tried here.
 */
class ClientRequestHeadTest {
  private static final RemoteAddress CLIENT = RemoteAddress.create(new InetSocketAddress("127.0.0.1", 40000));
  private static final RouterSettings SETTINGS = FrontHarness.defaults();

  private static Object parse(String text) {
    byte[] a = text.getBytes(StandardCharsets.ISO_8859_1);
    return ClientRequestHead.parse(a, 0, a.length, CLIENT, SETTINGS);
  }

  private static HttpRequest request(String text) {
    Object r = parse(text);
    assertInstanceOf(ClientRequestHead.Parsed.class, r, text);
    ClientRequestHead.Parsed p = (ClientRequestHead.Parsed) r;
    return p.request();
  }

  @Test
  void aCommonRequestIsReadAsPekkosServerReadsIt() {
    String text = "GET /a/b?x=1&y=%20z HTTP/1.1\r\nHost: Shop.localhost:5000\r\nAccept:  text/html \r\n"
        + "X-Empty:\r\nConnection: keep-alive\r\n\r\n";
    ClientRequestHead.Parsed p = (ClientRequestHead.Parsed) parse(text + "GET /next HTTP/1.1\r\n");
    assertEquals(text.length(), p.end(), "only the first request is taken");
    HttpRequest r = p.request();
    assertEquals("GET", r.method().value());
    assertEquals("/a/b", r.getUri().path());
    assertEquals("x=1&y=%20z", r.getUri().rawQueryString().orElseThrow());
    assertEquals("shop.localhost:5000", r.getHeader(Host.class).orElseThrow().value());
    List<HttpHeader> headers = new java.util.ArrayList<>();
    r.getHeaders().forEach(headers::add);
    assertEquals(RawHeader.create("Accept", "text/html"), headers.get(1), "raw, with its spaces around trimmed");
    assertEquals(RawHeader.create("X-Empty", ""), headers.get(2));
    assertTrue(r.getHeader(org.apache.pekko.http.javadsl.model.headers.Connection.class).isPresent(), "Connection as a model");
    assertTrue(r.entity().isKnownEmpty());
    assertEquals(CLIENT, r.getAttribute(AttributeKeys.remoteAddress).orElseThrow());
    assertTrue(!Exchange.lastRequest(r));
    assertTrue(Exchange.lastRequest(request("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")));
  }

  @Test
  void aBodyThatCameWholeIsTheEntityWithItsTypeAndTheNextRequestIsLeft() {
    String text = "POST /orders HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\nhello";
    ClientRequestHead.Parsed p = (ClientRequestHead.Parsed) parse(text + "GET");
    assertEquals(text.length(), p.end());
    HttpEntity.Strict e = (HttpEntity.Strict) p.request().entity();
    assertEquals("hello", e.getData().utf8String());
    assertEquals(ContentTypes.APPLICATION_JSON, e.getContentType());
    assertTrue(java.util.stream.StreamSupport.stream(p.request().getHeaders().spliterator(), false)
        .noneMatch(h -> h.is("content-length") || h.is("content-type")),
        "on the entity, not among the headers, as Pekko has them");
    HttpEntity.Strict untyped = (HttpEntity.Strict) request("PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi").entity();
    assertEquals(ContentTypes.APPLICATION_OCTET_STREAM, untyped.getContentType(), "Pekko's type for a body without one");
  }

  @Test
  void aRequestIsReadFromWhereTheLastOneEnded() {
    String first = "GET /one HTTP/1.1\r\nHost: a\r\n\r\n";
    String second = "POST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi";
    byte[] a = (first + second).getBytes(StandardCharsets.ISO_8859_1);
    ClientRequestHead.Parsed one = (ClientRequestHead.Parsed) ClientRequestHead.parse(a, 0, a.length, CLIENT, SETTINGS);
    ClientRequestHead.Parsed two = (ClientRequestHead.Parsed) ClientRequestHead.parse(a, one.end(), a.length, CLIENT, SETTINGS);
    assertEquals("/one", one.request().getUri().path());
    assertEquals("/two", two.request().getUri().path());
    assertEquals(a.length, two.end());
    assertEquals("hi", ((HttpEntity.Strict) two.request().entity()).getData().utf8String());
  }

  @Test
  void aHeadNotYetWholeWaitsForMoreBytes() {
    String text = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    for (int n = 0; n < text.length(); n++) {
      Object r = parse(text.substring(0, n));
      assertSame(ClientRequestHead.INCOMPLETE, r, "after " + n + " bytes");
    }
  }

  @Test
  void everythingButTheCommonRequestIsLeftToPekko() {
    List<String> left = List.of(
        "GET / HTTP/1.0\r\nHost: a\r\n\r\n",
        "GET / HTTP/2.0\r\nHost: a\r\n\r\n",
        "BREW /pot HTTP/1.1\r\nHost: a\r\n\r\n",
        "get / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET //a/b HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /a|b HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\nHost: a\n\n",
        "GET / HTTP/1.1\r\nHost: a\n\r\n",
        "GET / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nSec-WebSocket-Key: x\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhel",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nhi",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -2\r\n\r\nhi",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\nhi",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Type: not a type\r\nContent-Length: 2\r\n\r\nhi",
        "GET / HTTP/1.1\r\nHost: a\r\nX-Folded: one\r\n two\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX Bad: name\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX-Bad : name\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\n: no name\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX-Latin: caf\u00e9\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX-Control: a\u0001b\r\n\r\n",
        "GET /" + "a".repeat(SETTINGS.maxRequestLine()) + " HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + "a".repeat(SETTINGS.maxHeaderLine()) + "\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\n" + "X-Many: 1\r\n".repeat(SETTINGS.maxHeaders()) + "\r\n",
        "GET /page#part HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /static/../admin HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /a/./b HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /a/%2E%2e/b HTTP/1.1\r\nHost: a\r\n\r\n",
        "HEAD / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi",
        "GET / HTTP/1.1\r\nHost: a\r\nX-Tab: a\tb\r\n\r\n",
        "GET / HTTP/1.1\r\nHost:\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Encoding: GZIP\r\nContent-Length: 2\r\n\r\nhi",
        // lines still without their end but already over their limit: not read again and again
        "GET /" + "a".repeat(SETTINGS.maxRequestLine()),
        "GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + "a".repeat(SETTINGS.maxHeaderLine()));
    for (String text : left) {
      assertSame(ClientRequestHead.UNHANDLED, parse(text), () -> "left to Pekko: " + text.substring(0, Math.min(text.length(), 120)));
    }
  }
}
