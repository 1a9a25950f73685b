package io.manifold.core.app;

import io.manifold.core.procfile.Procfile;
import java.nio.file.Path;
import java.util.Map;

/**
 * What an app is made of when it is created: its name, its directory with the Procfile, its
 * first config vars and formation, and who is acting (the {@code by user ...} in its log).
 */
public record AppSpec(
    String name, Path dir, Procfile procfile, Map<String, String> config, Map<String, Integer> formation, String user) {
  public AppSpec {
    config = Map.copyOf(config);
    formation = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(formation));
  }
}
