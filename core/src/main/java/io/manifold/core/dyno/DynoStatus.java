package io.manifold.core.dyno;

import io.manifold.core.CborSerializable;
import java.time.Instant;

/**
 * What {@code heroku ps} shows of a dyno, and what the router needs: its state since when, where
 * a web dyno listens (null unless it is up), and the node it runs on.
 */
public record DynoStatus(
    String app, DynoName name, DynoState state, Instant since, Endpoint endpoint, int release, String command, String node)
    implements CborSerializable {

  /** A dyno on the one node of a local manifold. */
  public DynoStatus(String app, DynoName name, DynoState state, Instant since, Endpoint endpoint, int release, String command) {
    this(app, name, state, since, endpoint, release, command, "local");
  }
}
