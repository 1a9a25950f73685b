package io.manifold.scenarios.yaml;

import io.manifold.core.InputException;
import java.util.List;

/**
 * A YAML file that cannot be used as it is: every problem found, each as
 * {@code file:line:column: field: what was expected}, one per line.
 */
public final class YamlException extends InputException {
  private final List<Problem> problems;

  public YamlException(List<Problem> problems) {
    super(problems.get(0).location().toString(), describe(problems));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }

  private static String describe(List<Problem> problems) {
    StringBuilder b = new StringBuilder(problems.get(0).describe());
    for (int i = 1; i < problems.size(); i++) {
      b.append('\n').append(problems.get(i));
    }
    return b.toString();
  }

  /** One problem: where, in which field (a dotted path, or empty for the file), and what. */
  public record Problem(Location location, String field, String message) {
    String describe() {
      return field.isEmpty() ? message : field + ": " + message;
    }

    @Override
    public String toString() {
      return location + ": " + describe();
    }
  }
}
