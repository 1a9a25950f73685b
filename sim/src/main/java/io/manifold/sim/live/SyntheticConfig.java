package io.manifold.sim.live;

import io.manifold.sim.dist.Distribution;
import io.manifold.sim.dist.Units;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a synthetic app behaves, read from its config vars, so that a synthetic app is configured as
 * a real one is ({@code heroku config:set}) and a new release changes its behaviour:
 *
 * <pre>
 * SYNTHETIC_SERVICE      service time of a request: a duration or a distribution   20ms
 *                        (lognormal(median=40ms, p99=400ms); see DistributionParser)
 * SYNTHETIC_CONCURRENCY  requests served at once, 1..1024                            1
 * SYNTHETIC_BACKLOG      requests waiting at the dyno beyond those, 0..10000          256
 * SYNTHETIC_BOOT         time from launch until it listens on $PORT                   0s
 * SYNTHETIC_ERRORS       share of requests answered 500: 2% or 0.02                   0%
 * SYNTHETIC_MEMORY       start=200MB, per-request=1MB (B, KB, MB, GB, of 1024)        start=64MB
 * SYNTHETIC_SEED         seed of the dyno's random draws, a whole number              0
 * </pre>
 *
 * Any other {@code SYNTHETIC_*} variable is an error (a misspelt name would otherwise be ignored
 * silently). Errors are {@link IllegalArgumentException}s whose message starts with the variable
 * and its value and says what was expected.
 *
 * @param errorShare share of requests answered 500, 0..1
 * @param memoryStartBytes memory at boot
 * @param memoryPerRequestBytes memory added by every request served (a leak)
 */
public record SyntheticConfig(
    Distribution service,
    int concurrency,
    int backlog,
    Distribution boot,
    double errorShare,
    long memoryStartBytes,
    long memoryPerRequestBytes,
    long seed) {

  public static final String SERVICE = "SYNTHETIC_SERVICE";
  public static final String CONCURRENCY = "SYNTHETIC_CONCURRENCY";
  public static final String BACKLOG = "SYNTHETIC_BACKLOG";
  public static final String BOOT = "SYNTHETIC_BOOT";
  public static final String ERRORS = "SYNTHETIC_ERRORS";
  public static final String MEMORY = "SYNTHETIC_MEMORY";
  public static final String SEED = "SYNTHETIC_SEED";
  public static final List<String> NAMES = List.of(SERVICE, CONCURRENCY, BACKLOG, BOOT, ERRORS, MEMORY, SEED);

  public static final int MAX_CONCURRENCY = 1024;
  /** Waiting requests hold a connection each: bounded well below a process's file descriptors. */
  public static final int MAX_BACKLOG = 10_000;
  /** The live router's queue per dyno, as the virtual-time model has it. */
  public static final int DEFAULT_BACKLOG = io.manifold.sim.runtime.ServiceModel.DEFAULT_BACKLOG;
  public static final long DEFAULT_MEMORY = 64L << 20;

  /** What an app without any {@code SYNTHETIC_*} variable gets. */
  public static final SyntheticConfig DEFAULT = new SyntheticConfig(
      new Distribution.Constant(20e6), 1, DEFAULT_BACKLOG, new Distribution.Constant(0), 0, DEFAULT_MEMORY, 0, 0);

  private static final Pattern WHOLE = Pattern.compile("\\s*-?[0-9]{1,19}\\s*");
  private static final Pattern SHARE = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(%?)\\s*");
  private static final Pattern BYTES = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([kmg]?b)\\s*", Pattern.CASE_INSENSITIVE);

  public SyntheticConfig {
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException("concurrency must be 1.." + MAX_CONCURRENCY + ", not " + concurrency);
    }
    if (backlog < 0 || backlog > MAX_BACKLOG) {
      throw new IllegalArgumentException("backlog must be 0.." + MAX_BACKLOG + ", not " + backlog);
    }
    if (!(errorShare >= 0 && errorShare <= 1)) {
      throw new IllegalArgumentException("error share must be 0..1, not " + errorShare);
    }
    if (memoryStartBytes < 0 || memoryPerRequestBytes < 0) {
      throw new IllegalArgumentException("memory must not be negative");
    }
  }

  /** Parses an app's config vars; empirical files are found from the working directory. */
  public static SyntheticConfig parse(Map<String, String> env) {
    return parse(env, null);
  }

  /**
   * Parses an app's config vars; variables that are not {@code SYNTHETIC_*} are ignored.
   *
   * @param baseDir where {@code empirical(file=...)} files are found (the app's directory), or
   *     null for the working directory
   * @throws IllegalArgumentException naming the first bad variable, its value and what was expected
   */
  public static SyntheticConfig parse(Map<String, String> env, Path baseDir) {
    for (String key : env.keySet()) {
      if (key.startsWith("SYNTHETIC_") && !NAMES.contains(key)) {
        throw new IllegalArgumentException(key + " is not a synthetic app's variable; expected one of "
            + String.join(", ", NAMES) + nearMiss(key));
      }
    }
    SyntheticConfig d = DEFAULT;
    Distribution service = d.service;
    if (env.get(SERVICE) != null) {
      service = distribution(env, SERVICE, baseDir);
    }
    int concurrency = env.get(CONCURRENCY) == null ? d.concurrency : (int) whole(env, CONCURRENCY, 1, MAX_CONCURRENCY);
    int backlog = env.get(BACKLOG) == null ? d.backlog : (int) whole(env, BACKLOG, 0, MAX_BACKLOG);
    Distribution boot = env.get(BOOT) == null ? d.boot : distribution(env, BOOT, baseDir);
    double errors = env.get(ERRORS) == null ? d.errorShare : share(env, ERRORS);
    long start = d.memoryStartBytes;
    long perRequest = d.memoryPerRequestBytes;
    if (env.get(MEMORY) != null) {
      long[] m = memory(env.get(MEMORY));
      start = m[0];
      perRequest = m[1];
    }
    long seed = env.get(SEED) == null ? d.seed : whole(env, SEED, Long.MIN_VALUE, Long.MAX_VALUE);
    return new SyntheticConfig(service, concurrency, backlog, boot, errors, start, perRequest, seed);
  }

  /** The config vars that give this config back through {@link #parse} (empirical files by name). */
  public Map<String, String> toEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(SERVICE, service.toString());
    env.put(CONCURRENCY, Integer.toString(concurrency));
    env.put(BACKLOG, Integer.toString(backlog));
    env.put(BOOT, boot.toString());
    env.put(ERRORS, Units.trimNumber(errorShare * 100) + "%");
    env.put(MEMORY, "start=" + memoryStartBytes + "B, per-request=" + memoryPerRequestBytes + "B");
    env.put(SEED, Long.toString(seed));
    return env;
  }

  public SyntheticConfig withService(Distribution d) {
    return new SyntheticConfig(d, concurrency, backlog, boot, errorShare, memoryStartBytes, memoryPerRequestBytes, seed);
  }

  public SyntheticConfig withConcurrency(int c) {
    return new SyntheticConfig(service, c, backlog, boot, errorShare, memoryStartBytes, memoryPerRequestBytes, seed);
  }

  public SyntheticConfig withBacklog(int b) {
    return new SyntheticConfig(service, concurrency, b, boot, errorShare, memoryStartBytes, memoryPerRequestBytes, seed);
  }

  public SyntheticConfig withBoot(Distribution d) {
    return new SyntheticConfig(service, concurrency, backlog, d, errorShare, memoryStartBytes, memoryPerRequestBytes, seed);
  }

  public SyntheticConfig withErrorShare(double share) {
    return new SyntheticConfig(service, concurrency, backlog, boot, share, memoryStartBytes, memoryPerRequestBytes, seed);
  }

  public SyntheticConfig withMemory(long startBytes, long perRequestBytes) {
    return new SyntheticConfig(service, concurrency, backlog, boot, errorShare, startBytes, perRequestBytes, seed);
  }

  public SyntheticConfig withSeed(long s) {
    return new SyntheticConfig(service, concurrency, backlog, boot, errorShare, memoryStartBytes, memoryPerRequestBytes, s);
  }

  // --- the notations ---

  private static IllegalArgumentException bad(String key, String value, String expected) {
    return new IllegalArgumentException(key + "=" + value + ": " + expected);
  }

  private static Distribution distribution(Map<String, String> env, String key, Path baseDir) {
    String value = env.get(key);
    try {
      return Distribution.parse(value, baseDir);
    } catch (IllegalArgumentException e) {
      throw bad(key, value, e.getMessage());
    }
  }

  private static long whole(Map<String, String> env, String key, long min, long max) {
    String value = env.get(key);
    String range = max == Long.MAX_VALUE ? "a whole number" : "a whole number from " + min + " to " + max;
    if (!WHOLE.matcher(value).matches()) {
      throw bad(key, value, "expected " + range);
    }
    long v;
    try {
      v = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw bad(key, value, "expected " + range);
    }
    if (v < min || v > max) {
      throw bad(key, value, "expected " + range);
    }
    return v;
  }

  private static double share(Map<String, String> env, String key) {
    String value = env.get(key);
    Matcher m = SHARE.matcher(value);
    if (!m.matches()) {
      throw bad(key, value, "expected a share such as 2% or 0.02");
    }
    double v = Double.parseDouble(m.group(1)) / (m.group(2).isEmpty() ? 1 : 100);
    if (v > 1) {
      throw bad(key, value, "expected a share from 0% to 100% (or 0 to 1)");
    }
    return v;
  }

  /** {@code start=200MB, per-request=1MB}, either part optional, or just {@code 200MB} (the start). */
  private static long[] memory(String value) {
    long start = DEFAULT.memoryStartBytes;
    long perRequest = 0;
    String expected = "expected start=<size>, per-request=<size> (either may be left out) with sizes such as 200MB, 512KB, 1.5GB";
    if (value.isBlank()) {
      throw bad(MEMORY, value, expected);
    }
    if (!value.contains("=")) {
      return new long[] {bytes(value, MEMORY, value, expected), 0};
    }
    boolean sawStart = false;
    boolean sawPerRequest = false;
    for (String part : value.split(",")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        throw bad(MEMORY, value, expected);
      }
      String name = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String size = part.substring(eq + 1);
      switch (name) {
        case "start" -> {
          if (sawStart) {
            throw bad(MEMORY, value, "start= is given twice");
          }
          sawStart = true;
          start = bytes(size, MEMORY, value, expected);
        }
        case "per-request" -> {
          if (sawPerRequest) {
            throw bad(MEMORY, value, "per-request= is given twice");
          }
          sawPerRequest = true;
          perRequest = bytes(size, MEMORY, value, expected);
        }
        default -> throw bad(MEMORY, value, "unknown part '" + name + "'; " + expected);
      }
    }
    return new long[] {start, perRequest};
  }

  private static long bytes(String size, String key, String value, String expected) {
    Matcher m = BYTES.matcher(size);
    if (!m.matches()) {
      throw bad(key, value, expected + "; found '" + size.strip() + "'");
    }
    double n = Double.parseDouble(m.group(1));
    double unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "kb" -> 1024.0;
      case "mb" -> 1024.0 * 1024;
      case "gb" -> 1024.0 * 1024 * 1024;
      default -> 1;
    };
    double b = n * unit;
    if (b > 1024.0 * 1024 * 1024 * 1024) {
      throw bad(key, value, "a size of at most 1024GB; found '" + size.strip() + "'");
    }
    return Math.round(b);
  }

  /** ", did you mean X?" for a name one or two letters off a known one. */
  private static String nearMiss(String key) {
    String best = null;
    int bestDistance = 3;
    for (String name : NAMES) {
      int d = distance(key, name);
      if (d < bestDistance) {
        bestDistance = d;
        best = name;
      }
    }
    return best == null ? "" : "; did you mean " + best + "?";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
