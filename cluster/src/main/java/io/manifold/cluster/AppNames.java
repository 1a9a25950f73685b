package io.manifold.cluster;

import io.manifold.core.InputException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/** Heroku's app name rule, and the name an app directory gives. */
public final class AppNames {
  /** From the Platform API schema: 3 to 30 of lower-case letters, digits and dashes. */
  public static final Pattern VALID = Pattern.compile("[a-z][a-z0-9-]{1,28}[a-z0-9]");

  private AppNames() {}

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

  public static String check(String name, String place) {
    if (!VALID.matcher(name).matches()) {
      throw new InputException(place, "expected an app name of 3 to 30 lower-case letters, digits and '-',"
          + " starting with a letter and not ending with '-', but found '" + name + "'");
    }
    return name;
  }
}
