package io.manifold.core.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.serialization.jackson.JacksonMigration;

/**
 * How stored events stay readable when their classes change: each stored event carries its
 * schema version in its manifest ({@code ...AppEvent$Scaled#2}), and a migration turns an older
 * version's JSON into the current one before it is read. Bound per class in {@code reference.conf}
 * under {@code pekko.serialization.jackson.migrations}.
 *
 * <p>{@link AppEvent.Scaled} is at version 2: version 1 had no {@code sizes} (dyno sizes came
 * later), and reads as "no size changed". To change an event class: raise its
 * {@link #currentVersion()} (or add a migration for it), and transform what older versions wrote.
 */
public final class ScaledMigration extends JacksonMigration {
  @Override
  public int currentVersion() {
    return 2;
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    ObjectNode node = (ObjectNode) json;
    if (fromVersion < 2 && !node.has("sizes")) {
      node.putObject("sizes");
    }
    return node;
  }
}
