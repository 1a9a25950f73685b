package io.manifold.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/** Decoding a dyno's chunked body as its bytes come, and where it breaks. */
class ChunkedBodyTest {
  private static ByteString bytes(String s) {
    return ByteString.fromString(s, StandardCharsets.ISO_8859_1);
  }

  @Test
  void aBodySplitAtEveryByteGivesItsDataAndLeavesWhatFollows() {
    String wire = "5;ext=1\r\nhello\r\nA\r\n, world!!!\r\n0\r\nX-Trailer: t\r\n\r\nHTTP/1.1 200 OK";
    ChunkedBody body = new ChunkedBody();
    StringBuilder data = new StringBuilder();
    int at = 0;
    while (!body.done()) {
      data.append(body.decode(bytes(wire.substring(at, at + 1))).utf8String());
      at++;
    }
    assertEquals("hello, world!!!", data.toString());
    assertEquals("HTTP/1.1 200 OK", wire.substring(at), "the next response starts after the trailer");
  }

  @Test
  void aBodyInOnePieceLeavesTheRest() {
    ChunkedBody body = new ChunkedBody();
    assertEquals("abc", body.decode(bytes("3\nabc\n0\n\nnext")).utf8String(), "bare line feeds too");
    assertTrue(body.done());
    assertEquals("next", body.rest().utf8String());
  }

  @Test
  void aBodyNotYetEndedIsNotDone() {
    ChunkedBody body = new ChunkedBody();
    assertEquals("ab", body.decode(bytes("4\r\nab")).utf8String());
    assertFalse(body.done());
    assertEquals("cd", body.decode(bytes("cd\r\n")).utf8String());
    assertFalse(body.done());
  }

  @Test
  void brokenFramingIsABrokenBody() {
    assertThrows(DynoWire.BrokenBody.class, () -> new ChunkedBody().decode(bytes("zz\r\n")));
    assertThrows(DynoWire.BrokenBody.class, () -> new ChunkedBody().decode(bytes("\r\n")));
    assertThrows(DynoWire.BrokenBody.class, () -> new ChunkedBody().decode(bytes("2\r\nabc\r\n")), "data longer than its size");
    assertThrows(DynoWire.BrokenBody.class, () -> new ChunkedBody().decode(bytes("1".repeat(20) + "\r\n")), "a size past a long");
    assertThrows(DynoWire.BrokenBody.class, () -> new ChunkedBody().decode(bytes("1;" + "x".repeat(ChunkedBody.MAX_LINE))));
  }
}
