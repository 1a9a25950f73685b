package io.manifold.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One direction of a relayed connection, on a thread of its own: reads what one socket receives
 * and writes it to the other, each chunk held back by the link's delay as it was when the chunk
 * arrived, and never before the chunk ahead of it (bytes stay in order, as on one TCP stream).
 * What {@code tc netem delay} does to a real link, on one machine.
 *
 * <p>Bounded: at most {@code bound} bytes are held. Then it stops reading until the oldest chunk
 * has gone out, so the sender's socket buffer fills and TCP slows it down, as a congested link
 * would. A chunk with no delay and nothing ahead of it goes out at once, without a copy.
 */
final class DelayLine {
  static final int CHUNK = 64 * 1024;

  /** Sees every chunk as it is read, before its delay is drawn. */
  interface Tap {
    void seen(byte[] bytes, int offset, int length);
  }

  private record Chunk(long due, byte[] bytes) {}

  private final Socket from;
  private final Socket to;
  private final LongSupplier delayNanos;
  private final Tap tap;
  private final int bound;
  private final ArrayDeque<Chunk> held = new ArrayDeque<>();
  /** Written by the line's thread only; read by anyone who wants to see the bound hold. */
  private volatile int heldBytes;

  /**
   * @param delayNanos the delay of a chunk read now
   * @param tap null for none
   * @param bound the most bytes held at once
   */
  DelayLine(Socket from, Socket to, LongSupplier delayNanos, Tap tap, int bound) {
    this.from = from;
    this.to = to;
    this.delayNanos = delayNanos;
    this.tap = tap;
    this.bound = bound;
  }

  int heldBytes() {
    return heldBytes;
  }

  /**
   * Relays until the sending side closes its output, or either socket fails or is closed, or the
   * thread is interrupted.
   *
   * @return true when the sending side closed its output and everything held went out, after
   *     which the receiving side's output is closed in turn (a half close, passed on); false when
   *     the connection broke or was closed
   */
  boolean pump() {
    try {
      relay(from.getInputStream(), to.getOutputStream());
      return true;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private void relay(InputStream in, OutputStream out) throws IOException, InterruptedException {
    byte[] buffer = new byte[CHUNK];
    boolean ended = false;
    while (true) {
      long now = System.nanoTime();
      while (!held.isEmpty() && held.peekFirst().due() - now <= 0) {
        Chunk c = held.pollFirst();
        out.write(c.bytes());
        heldBytes -= c.bytes().length;
        now = System.nanoTime();
      }
      if (ended && held.isEmpty()) {
        to.shutdownOutput();
        return;
      }
      long wait = held.isEmpty() ? 0 : held.peekFirst().due() - now;
      int room = Math.min(CHUNK, bound - heldBytes);
      if (ended || room <= 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
        continue;
      }
      // wait for bytes only until the oldest held chunk is due (0: for as long as it takes)
      from.setSoTimeout(held.isEmpty() ? 0 : (int) Math.min(Integer.MAX_VALUE, Math.max(1, (wait + 999_999) / 1_000_000)));
      int n;
      try {
        n = in.read(buffer, 0, room);
      } catch (SocketTimeoutException due) {
        continue;
      }
      if (n < 0) {
        ended = true;
        continue;
      }
      if (tap != null) {
        tap.seen(buffer, 0, n);
      }
      long arrived = System.nanoTime();
      long due = arrived + delayNanos.getAsLong();
      if (held.isEmpty() && due - arrived <= 0) {
        out.write(buffer, 0, n);
        continue;
      }
      if (!held.isEmpty() && due - held.peekLast().due() < 0) {
        due = held.peekLast().due(); // a shorter draw of the jitter never overtakes
      }
      held.addLast(new Chunk(due, Arrays.copyOf(buffer, n)));
      heldBytes += n;
    }
  }
}
