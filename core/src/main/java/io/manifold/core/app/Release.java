package io.manifold.core.app;

import io.manifold.core.CborSerializable;
import java.time.Instant;
import java.util.Map;

/**
 * A release: a numbered, immutable pairing of the app's code (its slug, none for a blank app) and
 * its config vars. A deploy, a config change and a rollback each make one; dynos run one release
 * at a time.
 */
public record Release(
    int version, String id, String description, Map<String, String> config, Slug slug, String user, Instant createdAt)
    implements CborSerializable {
  public Release {
    config = Map.copyOf(config);
  }
}
