package io.manifold.sim.dist;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The notation of distributions in study files:
 *
 * <pre>
 * 50ms                                     constant (also constant(50ms))
 * uniform(min=10ms, max=90ms)
 * exponential(mean=50ms)                   also exponential(50ms)
 * lognormal(median=40ms, p99=400ms)        or lognormal(median=40ms, sigma=1.0)
 * weibull(shape=0.46, median=50ms)         or weibull(shape=0.46, scale=110ms)
 * empirical(file=times.txt)                one duration per line (52ms); with unit=ms, bare numbers
 * </pre>
 *
 * Errors are {@link IllegalArgumentException}s that say what was expected.
 */
final class DistributionParser {
  /** Bound on an empirical file: values beyond it are refused rather than read. */
  static final int MAX_EMPIRICAL_VALUES = 10_000_000;

  private static final Pattern CALL = Pattern.compile("\\s*([a-z]+)\\s*\\((.*)\\)\\s*");
  private static final List<String> NAMES = List.of("constant", "uniform", "exponential", "lognormal", "weibull", "empirical");

  private DistributionParser() {}

  static Distribution parse(String text, Path baseDir) {
    Matcher call = CALL.matcher(text);
    if (text.contains("(") && !text.contains(")")) {
      throw new IllegalArgumentException("'" + text + "' ends before its ')': inside a YAML {...} map a comma ends the value,"
          + " so write the distribution in quotes, like \"weibull(shape=0.46, median=50ms)\"");
    }
    if (!call.matches()) {
      try {
        return new Distribution.Constant(Units.nanos(text));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("expected a duration (50ms) or a distribution: "
            + "constant(50ms), uniform(min=, max=), exponential(mean=), lognormal(median=, p99=), "
            + "weibull(shape=, median=), empirical(file=); found '" + text + "'");
      }
    }
    String name = call.group(1);
    Map<String, String> args = arguments(call.group(2), text);
    return switch (name) {
      case "constant" -> {
        expect(args, text, List.of("value"), List.of());
        yield new Distribution.Constant(duration(args, "value", text));
      }
      case "uniform" -> {
        expect(args, text, List.of("min", "max"), List.of());
        yield new Distribution.Uniform(duration(args, "min", text), duration(args, "max", text));
      }
      case "exponential" -> {
        expect(args, text, List.of("mean"), List.of());
        yield new Distribution.Exponential(positive(duration(args, "mean", text), "mean", text));
      }
      case "lognormal" -> {
        if (args.containsKey("sigma")) {
          expect(args, text, List.of("median", "sigma"), List.of());
          double sigma = number(args, "sigma", text);
          double median = positive(duration(args, "median", text), "median", text);
          if (sigma < 0) {
            throw new IllegalArgumentException("sigma must not be negative in '" + text + "'");
          }
          yield new Distribution.LogNormal(Math.log(median), sigma);
        }
        expect(args, text, List.of("median", "p99"), List.of());
        yield Distribution.LogNormal.ofMedianAndP99(
            positive(duration(args, "median", text), "median", text), duration(args, "p99", text));
      }
      case "weibull" -> {
        if (args.containsKey("scale")) {
          expect(args, text, List.of("shape", "scale"), List.of());
          yield new Distribution.Weibull(positive(number(args, "shape", text), "shape", text),
              positive(duration(args, "scale", text), "scale", text));
        }
        expect(args, text, List.of("shape", "median"), List.of());
        yield Distribution.Weibull.ofMedian(positive(number(args, "shape", text), "shape", text),
            positive(duration(args, "median", text), "median", text));
      }
      case "empirical" -> {
        expect(args, text, List.of("file"), List.of("unit"));
        yield empirical(args.get("file"), args.get("unit"), baseDir);
      }
      default -> throw new IllegalArgumentException("no distribution '" + name + "'; expected one of " + String.join(", ", NAMES));
    };
  }

  /** {@code a=1, b=2} in order; a single value without a name is the first parameter. */
  private static Map<String, String> arguments(String inside, String text) {
    Map<String, String> args = new LinkedHashMap<>();
    if (inside.isBlank()) {
      return args;
    }
    for (String part : inside.split(",")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        if (!args.isEmpty() || inside.contains(",")) {
          throw new IllegalArgumentException("expected name=value in '" + text + "', found '" + part.trim() + "'");
        }
        args.put("", part.trim());
        continue;
      }
      String key = part.substring(0, eq).trim();
      if (args.put(key, part.substring(eq + 1).trim()) != null) {
        throw new IllegalArgumentException("'" + key + "' is given twice in '" + text + "'");
      }
    }
    return args;
  }

  /** Checks the parameters: all of {@code required}, any of {@code optional}, nothing else. */
  private static void expect(Map<String, String> args, String text, List<String> required, List<String> optional) {
    if (args.containsKey("")) {
      if (required.size() != 1) {
        throw new IllegalArgumentException("expected " + String.join("=, ", required) + "= in '" + text + "'");
      }
      args.put(required.get(0), args.remove(""));
    }
    for (String key : args.keySet()) {
      if (!required.contains(key) && !optional.contains(key)) {
        throw new IllegalArgumentException("unknown parameter '" + key + "' in '" + text + "'; expected "
            + String.join(", ", required) + (optional.isEmpty() ? "" : " (and optionally " + String.join(", ", optional) + ")"));
      }
    }
    for (String key : required) {
      if (!args.containsKey(key)) {
        throw new IllegalArgumentException("'" + text + "' needs " + key + "=");
      }
    }
  }

  private static double duration(Map<String, String> args, String key, String text) {
    try {
      return Units.nanos(args.get(key));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " in '" + text + "': " + e.getMessage());
    }
  }

  private static double number(Map<String, String> args, String key, String text) {
    try {
      double v = Double.parseDouble(args.get(key));
      if (!Double.isFinite(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " in '" + text + "': expected a number, found '" + args.get(key) + "'");
    }
  }

  private static double positive(double v, String key, String text) {
    if (!(v > 0)) {
      throw new IllegalArgumentException(key + " must be above zero in '" + text + "'");
    }
    return v;
  }

  private static Distribution empirical(String file, String unit, Path baseDir) {
    double scale = 0;
    if (unit != null) {
      try {
        scale = Units.nanos("1" + unit);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unit must be one of ns, us, ms, s, m, h; found '" + unit + "'");
      }
    }
    Path path = baseDir == null ? Path.of(file) : baseDir.resolve(file);
    double[] values = new double[1024];
    int n = 0;
    try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      String line;
      int lineNo = 0;
      while ((line = in.readLine()) != null) {
        lineNo++;
        String s = line.strip();
        if (s.isEmpty() || s.startsWith("#")) {
          continue;
        }
        if (n == MAX_EMPIRICAL_VALUES) {
          throw new IllegalArgumentException(file + ":" + lineNo + ": more than " + MAX_EMPIRICAL_VALUES + " values");
        }
        double v;
        try {
          v = scale > 0 ? Double.parseDouble(s) * scale : Units.nanos(s);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + ":" + lineNo + ": " + (scale > 0
              ? "expected a number (in " + unit + "), found '" + s + "'" : e.getMessage()));
        }
        if (!(v >= 0) || !Double.isFinite(v)) {
          throw new IllegalArgumentException(file + ":" + lineNo + ": a duration must not be negative, found '" + s + "'");
        }
        if (n == values.length) {
          values = Arrays.copyOf(values, n * 2);
        }
        values[n++] = v;
      }
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("empirical file " + path + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read empirical file " + path + ": " + e.getMessage());
    }
    if (n == 0) {
      throw new IllegalArgumentException("empirical file " + path + " has no values");
    }
    return new Distribution.Empirical(Arrays.copyOf(values, n), file);
  }
}
