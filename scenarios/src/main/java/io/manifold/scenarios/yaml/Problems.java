package io.manifold.scenarios.yaml;

import java.util.ArrayList;
import java.util.List;

/**
 * The problems found while reading a file. Reading goes on after a problem where it can, so that
 * one run of the validator lists them all. Bounded: past {@link #MAX} problems more are not kept.
 */
public final class Problems {
  public static final int MAX = 50;
  private final List<YamlException.Problem> found = new ArrayList<>();
  private int dropped;

  public void add(Location location, String field, String message) {
    if (found.size() < MAX) {
      found.add(new YamlException.Problem(location, field, message));
    } else {
      dropped++;
    }
  }

  public boolean isEmpty() {
    return found.isEmpty();
  }

  /** Throws them all as one {@link YamlException}, if there are any. */
  public void throwIfAny() {
    if (found.isEmpty()) {
      return;
    }
    List<YamlException.Problem> all = new ArrayList<>(found);
    if (dropped > 0) {
      YamlException.Problem last = all.get(all.size() - 1);
      all.add(new YamlException.Problem(last.location(), "", "... and " + dropped + " more problems"));
    }
    throw new YamlException(all);
  }
}
