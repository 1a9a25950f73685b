package io.manifold.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The origin of an Artery TCP connection, read from its first bytes however they are cut. */
class ArteryOriginTest {

  /** What an Artery connection starts with: magic, stream id, then one frame whose envelope carries {@code uid}. */
  static byte[] firstFrame(String magic, long uid) {
    ByteBuffer b = ByteBuffer.allocate(4 + 1 + 4 + 40).order(ByteOrder.LITTLE_ENDIAN);
    b.put(magic.getBytes(StandardCharsets.US_ASCII));
    b.put((byte) 1); // the control stream
    b.putInt(40);
    b.put((byte) 0); // version
    b.put((byte) 0); // flags
    b.put((byte) 0).put((byte) 0); // compression table versions
    b.putLong(uid);
    return b.array();
  }

  @Test
  void theSendersUidIsReadFromTheFirstFrameEvenOneByteAtATime() {
    byte[] bytes = firstFrame("PEKK", -4_242_424_242_424_242L);
    ArteryOrigin origin = new ArteryOrigin();
    for (int i = 0; i < bytes.length; i++) {
      ArteryOrigin.State s = origin.feed(bytes, i, 1);
      assertEquals(i < ArteryOrigin.UID_AT + 7 ? ArteryOrigin.State.READING : ArteryOrigin.State.KNOWN, s, "after byte " + i);
    }
    assertEquals(-4_242_424_242_424_242L, origin.uid());
  }

  @Test
  void akkasMagicIsArteryToo() {
    byte[] bytes = firstFrame("AKKA", 17);
    ArteryOrigin origin = new ArteryOrigin();
    assertEquals(ArteryOrigin.State.KNOWN, origin.feed(bytes, 0, bytes.length));
    assertEquals(17, origin.uid());
  }

  @Test
  void anythingElseHasNoKnownOrigin() {
    byte[] http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    ArteryOrigin origin = new ArteryOrigin();
    assertEquals(ArteryOrigin.State.NOT_ARTERY, origin.feed(http, 0, http.length));
    byte[] tiny = firstFrame("PEKK", 5);
    tiny[5] = 3; // a frame of 3 bytes cannot hold an envelope's header
    assertEquals(ArteryOrigin.State.NOT_ARTERY, new ArteryOrigin().feed(tiny, 0, tiny.length));
  }
}
