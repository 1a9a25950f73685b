package io.manifold.core.app;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What a command to an app amounts to, decided against the app's state before anything changes:
 * the events to store and the lines Heroku's API would log, or the reason the command is refused
 * (one of Heroku's error ids and a message). Pure: no actor, no clock of its own.
 */
final class AppChanges {
  /** The bound on a process type's quantity, as Heroku's default limit. */
  static final int MAX_QUANTITY = 100;

  record Change(List<AppEvent> events, List<String> apiLines, String message, String errorId) {
    static Change refuse(String errorId, String message) {
      return new Change(List.of(), List.of(), message, errorId);
    }

    boolean refused() {
      return errorId != null;
    }
  }

  private final AppState state;
  private final Instant now;
  private final List<AppEvent> events = new ArrayList<>();
  private final List<String> lines = new ArrayList<>();
  private AppState after;

  private AppChanges(AppState state, Instant now) {
    this.state = state;
    this.now = now;
    this.after = state;
  }

  private void emit(AppEvent e) {
    events.add(e);
    after = after.apply(e);
  }

  private Change done(String message) {
    return new Change(List.copyOf(events), List.copyOf(lines), message, null);
  }

  private void release(String description, Map<String, String> config, Slug slug, String user) {
    Release r = new Release(after.nextVersion(), UUID.randomUUID().toString(), description, config, slug, user, now);
    emit(new AppEvent.Released(r, now));
    lines.add("Release v" + r.version() + " created by user " + user);
  }

  /** A new app: created, its first release (v1, the config vars), then the code and the formation if given. */
  static Change create(AppState state, String id, String name, String user, Map<String, String> config, Slug slug,
      Map<String, Integer> formation, Instant now) {
    if (state.exists()) {
      return Change.refuse("conflict", "Name " + name + " is already taken");
    }
    AppChanges c = new AppChanges(state, now);
    c.emit(new AppEvent.Created(id, name, user, now));
    c.lines.add("Initial release by user " + user);
    c.release("Initial release", config, null, user);
    if (slug != null) {
      c.deployInto(slug, user);
    }
    if (formation != null && !formation.isEmpty()) {
      Map<String, Quantity> q = new LinkedHashMap<>();
      formation.forEach((type, n) -> q.put(type, Quantity.absolute(n)));
      Change scaled = c.scaleInto(q, Map.of(), user);
      if (scaled != null) {
        return scaled;
      }
    }
    return c.done("Created " + name);
  }

  static Change deploy(AppState state, Slug slug, String user, Instant now) {
    AppChanges c = new AppChanges(state, now);
    c.deployInto(slug, user);
    return c.done("Deployed v" + c.after.current().version());
  }

  private void deployInto(Slug slug, String user) {
    boolean first = after.slug() == null;
    lines.add("Deploy " + slug.shortId() + " by user " + user);
    release("Deploy " + slug.shortId(), after.config(), slug, user);
    if (first && after.quantities().containsKey("web") && after.quantity("web") == 0) {
      emit(new AppEvent.Scaled(Map.of("web", 1), Map.of(), user, now)); // Heroku scales web to 1 on a first deploy
    }
  }

  static Change scale(AppState state, Map<String, Quantity> quantities, Map<String, String> sizes, String user, Instant now) {
    AppChanges c = new AppChanges(state, now);
    Change refused = c.scaleInto(quantities, sizes, user);
    return refused != null ? refused : c.done("Scaled to " + Formation.describe(c.after.quantities()));
  }

  /** Null when scaled (or nothing to do), else the refusal. */
  private Change scaleInto(Map<String, Quantity> asked, Map<String, String> askedSizes, String user) {
    for (String type : asked.keySet()) {
      if (!after.quantities().containsKey(type)) {
        return Change.refuse("invalid_params", noSuchType(type));
      }
    }
    for (Map.Entry<String, String> e : askedSizes.entrySet()) {
      if (!after.quantities().containsKey(e.getKey())) {
        return Change.refuse("invalid_params", noSuchType(e.getKey()));
      }
      if (DynoSize.find(e.getValue()).isEmpty()) {
        return Change.refuse("invalid_params", "'" + e.getValue() + "' is not a dyno size; expected one of " + DynoSize.names());
      }
    }
    Map<String, Integer> quantities = new LinkedHashMap<>();
    Map<String, String> sizes = new LinkedHashMap<>();
    StringBuilder what = new StringBuilder();
    for (String type : after.quantities().keySet()) { // the Procfile's order
      Quantity q = asked.get(type);
      String size = askedSizes.get(type);
      if (q == null && size == null) {
        continue;
      }
      int n = q == null ? after.quantity(type) : q.applyTo(after.quantity(type));
      if (n < 0 || n > MAX_QUANTITY) {
        return Change.refuse("invalid_params", "the quantity of '" + type + "' must be between 0 and " + MAX_QUANTITY + ", not " + n);
      }
      if (q != null) {
        quantities.put(type, n);
      }
      if (size != null) {
        sizes.put(type, DynoSize.find(size).orElseThrow().name());
      }
      what.append(what.length() == 0 ? "" : ", ").append(type).append('=').append(n)
          .append(size == null ? "" : ":" + sizes.get(type));
    }
    if (what.length() > 0) {
      lines.add("Scale to " + what + " by user " + user);
      emit(new AppEvent.Scaled(quantities, sizes, user, now));
    }
    return null;
  }

  private String noSuchType(String type) {
    return after.quantities().isEmpty()
        ? "no process type '" + type + "': nothing has been deployed to " + after.name() + " yet"
        : "no process type '" + type + "' in the Procfile of " + after.name() + "; expected one of "
            + String.join(", ", after.quantities().keySet());
  }

  static Change config(AppState state, Map<String, String> changes, String user, Instant now) {
    Map<String, String> config = new TreeMap<>(state.config());
    List<String> set = new ArrayList<>();
    List<String> unset = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(changes).entrySet()) {
      if (!e.getKey().matches("\\w{1,256}")) {
        return Change.refuse("invalid_params", "config var names are letters, digits and '_' (at most 256); '" + e.getKey() + "' is not");
      }
      if (e.getValue() == null) {
        if (config.remove(e.getKey()) != null) {
          unset.add(e.getKey());
        }
      } else if (!e.getValue().equals(config.put(e.getKey(), e.getValue()))) {
        set.add(e.getKey());
      }
    }
    AppChanges c = new AppChanges(state, now);
    if (set.isEmpty() && unset.isEmpty()) {
      return c.done("No change"); // Heroku makes no release for a change that changes nothing
    }
    String description = !set.isEmpty() && !unset.isEmpty()
        ? "Set " + String.join(", ", set) + " and remove " + String.join(", ", unset) + " config vars"
        : !set.isEmpty() ? "Set " + String.join(", ", set) + " config vars"
        : "Remove " + String.join(", ", unset) + " config vars";
    c.lines.add(description + " by user " + user);
    c.release(description, config, state.slug(), user);
    return c.done("Release v" + c.after.current().version());
  }

  static Change rollback(AppState state, int version, String user, Instant now) {
    Release target = state.release(version).orElse(null);
    if (target == null) {
      return Change.refuse("not_found", "Couldn't find that release: " + state.name() + " has no v" + version);
    }
    AppChanges c = new AppChanges(state, now);
    String description = "Rollback to v" + target.version();
    c.lines.add(description + " by user " + user);
    c.release(description, target.config(), target.slug(), user);
    return c.done("Rolled back to v" + target.version() + " as v" + c.after.current().version());
  }

  static Change maintenance(AppState state, boolean on, String user, Instant now) {
    AppChanges c = new AppChanges(state, now);
    if (on != state.maintenance()) {
      c.lines.add((on ? "Enable" : "Disable") + " maintenance mode by user " + user);
      c.emit(new AppEvent.MaintenanceChanged(on, user, now));
    }
    return c.done("Maintenance mode " + (on ? "on" : "off"));
  }

  /** Heroku's limit of drains per app. */
  static final int MAX_DRAINS = 5;

  static Change addDrain(AppState state, String url, String user, Instant now) {
    String u = url == null ? "" : url.strip();
    if (!u.matches("https?://[^\\s/]+(/\\S*)?")) {
      return Change.refuse("invalid_params", "expected an https:// (or http://) drain URL, but found '" + u + "'; syslog drains are not supported");
    }
    if (state.drains().stream().anyMatch(d -> d.url().equals(u))) {
      return Change.refuse("conflict", "Url has already been taken");
    }
    if (state.drains().size() >= MAX_DRAINS) {
      return Change.refuse("invalid_params", "an app has at most " + MAX_DRAINS + " drains");
    }
    AppChanges c = new AppChanges(state, now);
    io.manifold.core.logs.Drain drain = new io.manifold.core.logs.Drain(UUID.randomUUID().toString(), u, "d." + UUID.randomUUID(), now);
    c.emit(new AppEvent.DrainAdded(drain, user, now));
    return new Change(List.copyOf(c.events), List.of(), drain.id(), null);
  }

  /** A drain named by its id, URL or token. */
  static Change removeDrain(AppState state, String which, String user, Instant now) {
    io.manifold.core.logs.Drain found = state.drains().stream()
        .filter(d -> d.id().equals(which) || d.url().equals(which) || d.token().equals(which)).findFirst().orElse(null);
    if (found == null) {
      return Change.refuse("not_found", "Couldn't find that log drain.");
    }
    AppChanges c = new AppChanges(state, now);
    c.emit(new AppEvent.DrainRemoved(found.id(), user, now));
    return new Change(List.copyOf(c.events), List.of(), found.id(), null);
  }

  static Change destroy(AppState state, String user, Instant now) {
    AppChanges c = new AppChanges(state, now);
    c.lines.add("Destroy " + state.name() + " by user " + user);
    c.emit(new AppEvent.Destroyed(user, now));
    return c.done("Destroyed " + state.name());
  }
}
