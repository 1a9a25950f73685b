package io.manifold.core.procfile;

import java.util.regex.Pattern;

/**
 * One line of a Procfile: a process type and the command its dynos run. {@code web} is the only
 * type the router sends traffic to; {@code release} is Heroku's release-phase command, not part of
 * the formation.
 */
public record ProcessType(String name, String command) {
  /** Heroku's Cedar rule for process type names; the Platform API allows up to 128 of them. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  public static final String WEB = "web";
  public static final String RELEASE = "release";

  public ProcessType {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("bad process type name: " + name);
    }
    if (command.isBlank()) {
      throw new IllegalArgumentException("empty command for process type " + name);
    }
  }

  public boolean isWeb() {
    return WEB.equals(name);
  }

  /** Whether dynos of this type are part of the formation ({@code release} runs once per release). */
  public boolean inFormation() {
    return !RELEASE.equals(name);
  }
}
