package io.manifold.sim.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One combination of a study's swept parameters, and the run it makes.
 *
 * @param index 0-based, in the order the study lists the combinations
 * @param params the swept parameters' values as the study writes them ({@code policy=random}),
 *     in the study's order; empty when nothing is swept
 */
public record Cell(int index, Map<String, String> params, RunSpec spec) {
  public Cell {
    params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** {@code policy=random dynos=75}, or {@code (one cell)}. */
  public String label() {
    if (params.isEmpty()) {
      return "(one cell)";
    }
    StringBuilder b = new StringBuilder();
    params.forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v));
    return b.toString();
  }
}
