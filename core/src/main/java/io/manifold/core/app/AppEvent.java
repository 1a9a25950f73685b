package io.manifold.core.app;

import io.manifold.core.CborSerializable;
import java.time.Instant;
import java.util.Map;

/**
 * What happened to an app, as facts. The app's state is what its events add up to
 * ({@link AppState#apply}), which is what makes it possible to store an app as its events.
 */
public sealed interface AppEvent extends CborSerializable {
  Instant at();

  record Created(String id, String name, String user, Instant at) implements AppEvent {}

  /** A new release: a deploy, a config change or a rollback (its description says which). */
  record Released(Release release, Instant at) implements AppEvent {}

  /** New quantities (and sizes) for the named process types. */
  record Scaled(Map<String, Integer> quantities, Map<String, String> sizes, String user, Instant at) implements AppEvent {}

  record MaintenanceChanged(boolean on, String user, Instant at) implements AppEvent {}

  record Destroyed(String user, Instant at) implements AppEvent {}

  record DrainAdded(io.manifold.core.logs.Drain drain, String user, Instant at) implements AppEvent {}

  record DrainRemoved(String id, String user, Instant at) implements AppEvent {}
}
