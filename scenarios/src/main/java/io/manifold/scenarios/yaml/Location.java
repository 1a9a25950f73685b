package io.manifold.scenarios.yaml;

/** Where something is in a YAML file: its name as given to the loader, and 1-based line and column. */
public record Location(String file, int line, int column) {
  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
