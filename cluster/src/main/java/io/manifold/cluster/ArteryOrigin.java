package io.manifold.cluster;

/**
 * Finds which actor system opened an Artery TCP connection, from the first bytes it sends: every
 * node's proxy is reached at one port by all the others, from ports nobody can predict, so the
 * bytes are the only thing that tells them apart. Pekko 1.7.0's framing (checked against a real
 * cluster by LinkLatencyTest):
 *
 * <pre>
 *   0  4 bytes  magic, "PEKK" or "AKKA" ({@code pekko.remote.artery.advanced.tcp-magic}; TcpFraming)
 *   4  1 byte   stream id (control, ordinary, large)
 *   5  4 bytes  length of the first frame, little-endian
 *   9           the frame: an envelope, whose header has the sending system's UID as a
 *               little-endian long at offset 4 (EnvelopeBuffer.UidOffset), so at bytes 13 to 20
 * </pre>
 *
 * Every envelope carries the UID (Encoder sets it once per outbound stream); the first one is
 * enough. Anything else (another magic, a frame too short to hold a header) is not Artery, and
 * its origin stays unknown.
 */
final class ArteryOrigin {
  static final int MAGIC_LENGTH = 4;
  static final int UID_AT = MAGIC_LENGTH + 1 + 4 + 4;
  private static final int NEEDED = UID_AT + 8;
  /** The envelope's fixed header, up to its literals (EnvelopeBuffer.MetadataContainerAndLiteralSectionOffset). */
  private static final int HEADER_LENGTH = 28;

  /** What {@link #feed} found. */
  enum State { READING, KNOWN, NOT_ARTERY }

  private final byte[] head = new byte[NEEDED];
  private int have;
  private State state = State.READING;
  private long uid;

  /** Takes the next bytes of the connection; returns whether the origin is known or never will be. */
  State feed(byte[] bytes, int offset, int length) {
    if (state != State.READING) {
      return state;
    }
    int n = Math.min(length, NEEDED - have);
    System.arraycopy(bytes, offset, head, have, n);
    have += n;
    if (have >= MAGIC_LENGTH && !magic()) {
      state = State.NOT_ARTERY;
    } else if (have == NEEDED) {
      if (littleEndianInt(MAGIC_LENGTH + 1) < HEADER_LENGTH) {
        state = State.NOT_ARTERY;
      } else {
        uid = littleEndianLong(UID_AT);
        state = State.KNOWN;
      }
    }
    return state;
  }

  State state() {
    return state;
  }

  /** The sending actor system's UID, once {@link State#KNOWN}. */
  long uid() {
    return uid;
  }

  private boolean magic() {
    return (head[0] == 'P' && head[1] == 'E' && head[2] == 'K' && head[3] == 'K')
        || (head[0] == 'A' && head[1] == 'K' && head[2] == 'K' && head[3] == 'A');
  }

  private int littleEndianInt(int at) {
    return (head[at] & 0xff) | (head[at + 1] & 0xff) << 8 | (head[at + 2] & 0xff) << 16 | (head[at + 3] & 0xff) << 24;
  }

  private long littleEndianLong(int at) {
    return (littleEndianInt(at) & 0xffffffffL) | ((long) littleEndianInt(at + 4)) << 32;
  }
}
