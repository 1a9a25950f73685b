package io.manifold.core.app;

import io.manifold.core.CborSerializable;
import java.time.Instant;
import java.util.Map;

/**
 * A release: a numbered, immutable pairing of the app's code (here, its directory) and config vars.
 * Every config change makes one; dynos run one release at a time.
 */
public record Release(int version, String description, Map<String, String> config, String user, Instant createdAt)
    implements CborSerializable {
  public Release {
    config = Map.copyOf(config);
  }
}
