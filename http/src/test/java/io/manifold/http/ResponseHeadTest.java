package io.manifold.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.core.routing.HCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/** Reading a dyno's response head from bytes as they come, and Heroku's limits on it. */
class ResponseHeadTest {
  private static ByteString bytes(String s) {
    return ByteString.fromString(s, StandardCharsets.ISO_8859_1);
  }

  @Test
  void aHeadSplitAtEveryByteIsReadAsWholeAndWhatFollowsItIsLeft() {
    String wire = "HTTP/1.1 201 Created\r\nX-A: one \r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello";
    ResponseHead.Reader reader = new ResponseHead.Reader(8192, 8192);
    int used = -1;
    int at = 0;
    while (used < 0) {
      used = reader.feed(bytes(wire.substring(at, at + 1)));
      at++;
    }
    assertEquals(1, used, "the last byte of the head's empty line");
    assertEquals("hello", wire.substring(at));
    ResponseHead head = reader.head();
    assertEquals(201, head.status());
    assertEquals("Created", head.reason());
    assertEquals(5, head.contentLength());
    assertEquals("text/plain", head.contentType());
    assertEquals("X-A: one", head.headers().get(0).name() + ": " + head.headers().get(0).value(), "the value's spaces trimmed");
    assertEquals(1, head.headers().size(), "Content-Type and Content-Length frame the body and are not passed on as headers");
    assertFalse(head.close());
    assertTrue(reader.empty(), "ready for the next head");
  }

  @Test
  void bareLineFeedsAFoldedLineAndALeadingEmptyLineAreRead() {
    ResponseHead.Reader reader = new ResponseHead.Reader(8192, 8192);
    ByteString wire = bytes("\r\nHTTP/1.0 200 OK\nX-Long: first\n  second\nConnection: keep-alive\n\nrest");
    int used = reader.feed(wire);
    assertEquals("rest", wire.drop(used).utf8String());
    ResponseHead head = reader.head();
    assertTrue(head.http10());
    assertEquals("first second", head.headers().get(0).value());
    assertFalse(head.close(), "HTTP/1.0 with keep-alive stays open");
    assertEquals(-1, head.contentLength());
  }

  @Test
  void chunkedWinsOverAContentLengthAndConnectionCloseIsSeen() {
    ResponseHead.Reader reader = new ResponseHead.Reader(8192, 8192);
    reader.feed(bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nTransfer-Encoding: gzip, chunked\r\nConnection: Close\r\n\r\n"));
    ResponseHead head = reader.head();
    assertTrue(head.chunked());
    assertEquals(-1, head.contentLength());
    assertTrue(head.close());
    assertEquals(List.of("Connection"), head.headers().stream().map(h -> h.name()).toList());
  }

  @Test
  void anInterimResponseIsToldFromAFinalOne() {
    ResponseHead.Reader reader = new ResponseHead.Reader(8192, 8192);
    reader.feed(bytes("HTTP/1.1 100 Continue\r\n\r\n"));
    assertTrue(reader.head().interim());
    reader.feed(bytes("HTTP/1.1 101 Switching Protocols\r\n\r\n"));
    assertFalse(reader.head().interim());
  }

  private static DynoWire.BadResponse refused(String wire, int maxStatusLine, int maxHeaderLine) {
    return assertThrows(DynoWire.BadResponse.class, () -> new ResponseHead.Reader(maxStatusLine, maxHeaderLine).feed(bytes(wire)));
  }

  @Test
  void oversizedLinesAndHeadsAreH25AsSoonAsTheyAreTooLongWithoutWaitingForTheirEnd() {
    DynoWire.BadResponse status = refused("HTTP/1.1 200 " + "x".repeat(100), 64, 8192);
    assertEquals(HCode.H25, status.code);
    assertEquals("oversized status line", status.cause);
    DynoWire.BadResponse header = refused("HTTP/1.1 200 OK\r\nX-Big: " + "x".repeat(100), 8192, 64);
    assertEquals(HCode.H25, header.code);
    assertEquals("oversized header", header.cause);
    DynoWire.BadResponse many = refused("HTTP/1.1 200 OK\r\n" + "X: 1\r\n".repeat(ResponseHead.Reader.MAX_HEADERS + 1), 8192, 8192);
    assertEquals("oversized header", many.cause);
  }

  private static DynoWire.BadResponse malformed(String wire) {
    ResponseHead.Reader reader = new ResponseHead.Reader(8192, 8192);
    return assertThrows(DynoWire.BadResponse.class, () -> {
      reader.feed(bytes(wire));
      reader.head();
    });
  }

  @Test
  void malformedHeadsAreH17AndABadContentLengthH25() {
    assertEquals(HCode.H17, malformed("HTTP/1.1 OK-ish\r\n\r\n").code);
    assertEquals(HCode.H17, malformed("HTTP/2 200 OK\r\n\r\n").code);
    assertEquals(HCode.H17, malformed("HTTP/1.1 600 Beyond\r\n\r\n").code);
    assertEquals(HCode.H17, malformed("HTTP/1.1 099 Below\r\n\r\n").code);
    assertEquals(HCode.H17, malformed("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n").code);
    assertEquals(HCode.H17, malformed("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n").code);
    assertEquals(HCode.H17, malformed("HTTP/1.1 200 OK\r\n folded before any header\r\n\r\n").code);
    for (String length : List.of("-1", "1x", "", "1, 1", "99999999999999999999")) {
      DynoWire.BadResponse bad = malformed("HTTP/1.1 200 OK\r\nContent-Length: " + length + "\r\n\r\n");
      assertEquals(HCode.H25, bad.code, length);
      assertEquals("invalid content length", bad.cause, length);
    }
    assertEquals("invalid content length", malformed("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n").cause);
    ResponseHead.Reader same = new ResponseHead.Reader(8192, 8192);
    same.feed(bytes("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n"));
    assertEquals(3, same.head().contentLength(), "the same length twice is one length");
  }

  @Test
  void aStatusLineWithoutAReasonPhraseIsMissingOne() {
    ResponseHead.Reader reader = new ResponseHead.Reader(8192, 8192);
    reader.feed(bytes("HTTP/1.1 200\r\n\r\n"));
    assertThrows(StatusLineCheck.MissingReasonPhrase.class, reader::head);
    ResponseHead.Reader empty = new ResponseHead.Reader(8192, 8192);
    empty.feed(bytes("HTTP/1.1 200 \r\n\r\n"));
    assertEquals("", empty.head().reason(), "an empty reason after its space is allowed");
  }
}
