package io.manifold.http;

import java.util.Map;
import java.util.function.Function;

/**
 * Header values parsed into Pekko's models once per distinct value ({@link DynoHeaders},
 * {@link ClientRequestHead}): a dyno's {@code Date} changes every second, a client's {@code Host}
 * hardly ever, and parsing each anew was a large part of a request's allocation.
 *
 * <p>Bound: {@link #MAX_VALUES} values per table; past it the table starts over.
 */
final class ParsedOnce {
  static final int MAX_VALUES = 64;

  private ParsedOnce() {}

  /** {@code value} parsed, from {@code known} or by {@code parse}; past {@link #MAX_VALUES} the table starts over. */
  static <T> T get(Map<String, T> known, String value, Function<String, T> parse) {
    T m = known.get(value);
    if (m == null) {
      m = parse.apply(value);
      if (known.size() >= MAX_VALUES) {
        known.clear();
      }
      known.put(value, m);
    }
    return m;
  }
}
