package io.manifold.sim.random;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * One seed for a run, and from it an independent random stream per purpose ({@code arrivals},
 * {@code service}, {@code policy/2}). A stream depends only on the seed and its purpose's name, so
 * adding a component, or drawing more from one stream, never shifts another: the same seed gives
 * the same arrival times whatever the routing policy does with its own stream.
 *
 * <p>Streams are {@link SplittableRandom}s (SplitMix64, specified by the JDK, so the same on every
 * JVM); seeds are derived by hashing the purpose (FNV-1a) and mixing it with the seed through
 * SplitMix64's finalizer.
 */
public final class RandomStreams {
  private final long seed;

  public RandomStreams(long seed) {
    this.seed = seed;
  }

  public long seed() {
    return seed;
  }

  /** A new generator for {@code purpose}; two calls with one purpose give the same sequence. */
  public SplittableRandom stream(String purpose) {
    return new SplittableRandom(seedFor(purpose));
  }

  /** Streams for a part of the run, e.g. {@code derive("replication/3")}. */
  public RandomStreams derive(String purpose) {
    return new RandomStreams(seedFor(purpose));
  }

  /** The seed that {@link #stream} and {@link #derive} use for {@code purpose}. */
  public long seedFor(String purpose) {
    return mix(seed ^ mix(fnv1a(purpose) + 0x9E3779B97F4A7C15L));
  }

  /** SplitMix64's finalizer: a bijection that spreads every input bit over the output. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static long fnv1a(String s) {
    long h = 0xCBF29CE484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xFF;
      h *= 0x100000001B3L;
    }
    return h;
  }
}
