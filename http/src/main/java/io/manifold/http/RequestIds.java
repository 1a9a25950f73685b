package io.manifold.http;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Heroku's {@code X-Request-Id} rule: a client's id is kept if it is 20 to 200 characters of
 * {@code [A-Za-z0-9+/=-]}; otherwise the router makes a UUID.
 */
final class RequestIds {
  private static final int MIN = 20;
  private static final int MAX = 200;

  private RequestIds() {}

  static String pick(String fromClient) {
    return fromClient != null && valid(fromClient) ? fromClient : newId();
  }

  private static boolean valid(String id) {
    int n = id.length();
    if (n < MIN || n > MAX) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/'
          || c == '=' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * A random (version 4) UUID from the thread's own generator. A request id must be unique, not
   * secret; {@link UUID#randomUUID()} takes a lock on a shared SecureRandom and reads
   * {@code /dev/urandom}, on every request.
   */
  static String newId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long high = (r.nextLong() & ~0xF000L) | 0x4000L;               // version 4
    long low = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
    return new UUID(high, low).toString();
  }
}
