package io.manifold.http.api;

/**
 * Heroku's rate limit: a pool of tokens per account (4,500), one spent per request, refilled at
 * a 60th of the pool each minute (75). When it is empty the API answers 429. One account here, so
 * one pool.
 */
final class RateLimiter {
  private final int capacity;
  private final double refillPerNano;
  private double tokens;
  private long lastNanos;

  RateLimiter(int capacity) {
    this.capacity = capacity;
    this.refillPerNano = capacity / 60.0 / 60e9;
    this.tokens = capacity;
    this.lastNanos = System.nanoTime();
  }

  /** Spends one token; returns the tokens left, or -1 when there was none. */
  synchronized int take() {
    long now = System.nanoTime();
    tokens = Math.min(capacity, tokens + (now - lastNanos) * refillPerNano);
    lastNanos = now;
    if (tokens < 1) {
      return -1;
    }
    tokens -= 1;
    return (int) tokens;
  }
}
