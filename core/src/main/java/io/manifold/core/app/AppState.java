package io.manifold.core.app;

import io.manifold.core.CborSerializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Everything the platform keeps about an app: its identity, releases, formation and maintenance
 * flag. Immutable; {@link #apply} gives the state after an event.
 *
 * @param releases oldest first; at most {@link #MAX_RELEASES}, the oldest go first
 * @param quantities process type to quantity, for the types of the current release's slug
 * @param sizes process type to dyno size
 * @param formationUpdated when each type was last scaled
 * @param drains the app's log drains (Logplex keeps them with the app)
 */
public record AppState(
    String id,
    String name,
    Instant createdAt,
    Instant updatedAt,
    boolean maintenance,
    boolean destroyed,
    List<Release> releases,
    Map<String, Integer> quantities,
    Map<String, String> sizes,
    Map<String, Instant> formationUpdated,
    List<io.manifold.core.logs.Drain> drains) implements CborSerializable {

  /** Releases kept; older ones can no longer be rolled back to. */
  public static final int MAX_RELEASES = 1_000;
  public static final String DEFAULT_SIZE = "Basic";

  public AppState {
    releases = List.copyOf(releases);
    quantities = Collections.unmodifiableMap(new LinkedHashMap<>(quantities));
    sizes = Collections.unmodifiableMap(new LinkedHashMap<>(sizes));
    formationUpdated = Collections.unmodifiableMap(new LinkedHashMap<>(formationUpdated));
    drains = drains == null ? List.of() : List.copyOf(drains); // snapshots from before drains were kept have none
  }

  /** The state before the first event. */
  public static AppState empty() {
    return new AppState(null, null, null, null, false, false, List.of(), Map.of(), Map.of(), Map.of(), List.of());
  }

  public boolean exists() {
    return id != null && !destroyed;
  }

  public Release current() {
    return releases.isEmpty() ? null : releases.get(releases.size() - 1);
  }

  public Optional<Release> release(int version) {
    return releases.stream().filter(r -> r.version() == version).findFirst();
  }

  public Optional<Release> releaseById(String releaseId) {
    return releases.stream().filter(r -> r.id().equals(releaseId)).findFirst();
  }

  public int nextVersion() {
    Release r = current();
    return r == null ? 1 : r.version() + 1;
  }

  /** The slug dynos run now, or null for an app nothing was deployed to. */
  public Slug slug() {
    Release r = current();
    return r == null ? null : r.slug();
  }

  public Map<String, String> config() {
    Release r = current();
    return r == null ? Map.of() : r.config();
  }

  public int quantity(String type) {
    return quantities.getOrDefault(type, 0);
  }

  public String size(String type) {
    return sizes.getOrDefault(type, DEFAULT_SIZE);
  }

  /** A stable id for a formation entry, as the API shows it. */
  public String formationId(String type) {
    return UUID.nameUUIDFromBytes((id + "/" + type).getBytes(StandardCharsets.UTF_8)).toString();
  }

  public AppState apply(AppEvent event) {
    // Java 17: no pattern matching in switch yet
    if (event instanceof AppEvent.Created c) {
      return new AppState(c.id(), c.name(), c.at(), c.at(), false, false, List.of(), Map.of(), Map.of(), Map.of(), List.of());
    } else if (event instanceof AppEvent.Released r) {
      return withRelease(r.release(), r.at());
    } else if (event instanceof AppEvent.Scaled s) {
      return scaled(s);
    } else if (event instanceof AppEvent.MaintenanceChanged m) {
      return new AppState(id, name, createdAt, m.at(), m.on(), destroyed, releases, quantities, sizes, formationUpdated, drains);
    } else if (event instanceof AppEvent.Destroyed d) {
      return new AppState(id, name, createdAt, d.at(), maintenance, true, releases, quantities, sizes, formationUpdated, drains);
    } else if (event instanceof AppEvent.DrainAdded a) {
      List<io.manifold.core.logs.Drain> next = new ArrayList<>(drains);
      next.add(a.drain());
      return new AppState(id, name, createdAt, a.at(), maintenance, destroyed, releases, quantities, sizes, formationUpdated, next);
    } else if (event instanceof AppEvent.DrainRemoved r) {
      List<io.manifold.core.logs.Drain> next = new ArrayList<>(drains);
      next.removeIf(d -> d.id().equals(r.id()));
      return new AppState(id, name, createdAt, r.at(), maintenance, destroyed, releases, quantities, sizes, formationUpdated, next);
    }
    throw new IllegalArgumentException("unknown app event " + event);
  }

  /** A new release; the formation follows its slug's process types (new ones at 0, gone ones gone). */
  private AppState withRelease(Release release, Instant at) {
    List<Release> next = new ArrayList<>(releases);
    next.add(release);
    while (next.size() > MAX_RELEASES) {
      next.remove(0);
    }
    Map<String, Integer> q = new LinkedHashMap<>();
    Map<String, String> s = new LinkedHashMap<>();
    Map<String, Instant> u = new LinkedHashMap<>();
    if (release.slug() != null) {
      for (String type : release.slug().formationTypes().keySet()) {
        q.put(type, quantity(type));
        s.put(type, size(type));
        u.put(type, formationUpdated.getOrDefault(type, at));
      }
    }
    return new AppState(id, name, createdAt, at, maintenance, destroyed, next, q, s, u, drains);
  }

  private AppState scaled(AppEvent.Scaled e) {
    Map<String, Integer> q = new LinkedHashMap<>(quantities);
    Map<String, String> s = new LinkedHashMap<>(sizes);
    Map<String, Instant> u = new LinkedHashMap<>(formationUpdated);
    e.quantities().forEach((type, n) -> {
      q.put(type, n);
      u.put(type, e.at());
    });
    e.sizes().forEach((type, size) -> {
      s.put(type, size);
      u.put(type, e.at());
    });
    return new AppState(id, name, createdAt, e.at(), maintenance, destroyed, releases, q, s, u, drains);
  }
}
