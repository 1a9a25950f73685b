package io.manifold.scenarios.chaos.run;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** A run's timeline of every request, and one per app, so that an expectation can be about one app. */
final class Timelines {
  private final Timeline all;
  private final Map<String, Timeline> byApp = new LinkedHashMap<>();

  /** @param quietUntilNanos when the first fault fires (the run's length when it has none) */
  Timelines(long lengthNanos, long quietUntilNanos, Collection<String> apps) {
    this.all = new Timeline(lengthNanos, quietUntilNanos);
    for (String app : apps) {
      byApp.put(app, new Timeline(lengthNanos, quietUntilNanos));
    }
  }

  void record(String app, Timeline.Outcome o) {
    all.record(o);
    Timeline t = byApp.get(app);
    if (t != null) {
      t.record(o);
    }
  }

  /** Every app's requests. */
  Timeline all() {
    return all;
  }

  /** One app's requests, or every app's for null. */
  Timeline of(String app) {
    return app == null ? all : byApp.getOrDefault(app, all);
  }
}
