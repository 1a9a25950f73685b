package io.manifold.core.app;

import io.manifold.core.InputException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/** Heroku's app name rule; the name an app directory gives; Heroku-style names for unnamed apps. */
public final class AppNames {
  /** From the Platform API schema: 3 to 30 of lower-case letters, digits and dashes. */
  public static final Pattern VALID = Pattern.compile("[a-z][a-z0-9-]{1,28}[a-z0-9]");

  private static final List<String> ADJECTIVES = List.of(
      "ancient", "autumn", "billowing", "bitter", "blue", "bold", "calm", "cool", "crimson", "damp",
      "dark", "dry", "falling", "floral", "fragrant", "frosty", "gentle", "green", "hidden", "icy",
      "lingering", "little", "lively", "misty", "morning", "muddy", "nameless", "polished", "quiet", "rough",
      "shy", "silent", "small", "snowy", "solitary", "sparkling", "still", "sweet", "twilight", "wild");
  private static final List<String> NOUNS = List.of(
      "bird", "breeze", "brook", "bush", "butterfly", "cherry", "cloud", "dawn", "dew", "dream",
      "dust", "field", "fire", "flower", "fog", "forest", "frog", "glade", "grass", "haze",
      "hill", "lake", "leaf", "meadow", "moon", "mountain", "night", "paper", "pine", "pond",
      "rain", "resonance", "river", "sea", "shadow", "shape", "sky", "snow", "sun", "wave");

  private AppNames() {}

  /** A name as Heroku makes one for an app created without: {@code quiet-meadow-12345}. */
  public static String random(RandomGenerator random) {
    return ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "-" + NOUNS.get(random.nextInt(NOUNS.size()))
        + "-" + (10_000 + random.nextInt(90_000));
  }

  /** The app's name from its directory: lower-cased, other characters turned into dashes. */
  public static String fromDirectory(Path dir) {
    Path name = dir.toAbsolutePath().normalize().getFileName();
    String base = name == null ? "" : name.toString().toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9-]+", "-").replaceAll("^[^a-z]+", "").replaceAll("-+$", "");
    if (!VALID.matcher(base).matches()) {
      throw new InputException(dir.toString(), "the directory's name does not make a Heroku app name"
          + " (3 to 30 of a-z, 0-9 and '-', starting with a letter); give one with --app NAME");
    }
    return base;
  }

  /** Null when the name is valid, else what is wrong with it. */
  public static String problem(String name) {
    return VALID.matcher(name).matches() ? null
        : "expected an app name of 3 to 30 lower-case letters, digits and '-', starting with a letter"
            + " and not ending with '-', but found '" + name + "'";
  }

  public static String check(String name, String place) {
    String problem = problem(name);
    if (problem != null) {
      throw new InputException(place, problem);
    }
    return name;
  }
}
