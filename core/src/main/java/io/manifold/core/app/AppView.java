package io.manifold.core.app;

import io.manifold.core.CborSerializable;
import io.manifold.core.dyno.DynoStatus;
import java.time.Instant;
import java.util.List;

/** An app as the API and the CLI show it: its state and its dynos now. */
public record AppView(AppState state, List<DynoView> dynos) implements CborSerializable {
  public AppView {
    dynos = List.copyOf(dynos);
  }

  public String name() {
    return state.name();
  }

  /**
   * A dyno as {@code heroku ps} shows it.
   *
   * @param id unique for this run of the dyno (a new id after it is replaced)
   * @param node where it runs
   */
  public record DynoView(String id, DynoStatus status, String size, Instant createdAt, String node) implements CborSerializable {
    public String name() {
      return status.name().toString();
    }
  }
}
