package io.manifold.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppStateTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Slug slug(String... types) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (String t : types) {
      m.put(t, "run " + t);
    }
    return new Slug("0123456789abcdef", "/app", m);
  }

  private static Release release(int v, Slug slug, Map<String, String> config) {
    return new Release(v, "r" + v, "v" + v, config, slug, "me", T0.plusSeconds(v));
  }

  @Test
  void statesAreWhatTheirEventsAddUpTo() {
    AppState s = AppState.empty();
    assertFalse(s.exists());
    s = s.apply(new AppEvent.Created("id", "shop", "me", T0));
    s = s.apply(new AppEvent.Released(release(1, null, Map.of("A", "1")), T0));
    assertTrue(s.exists());
    assertNull(s.slug());
    assertTrue(s.quantities().isEmpty(), "a blank app has no formation");

    s = s.apply(new AppEvent.Released(release(2, slug("web", "worker", "release"), Map.of("A", "1")), T0.plusSeconds(2)));
    assertEquals(List.of("web", "worker"), List.copyOf(s.quantities().keySet()), "release is no formation type");
    s = s.apply(new AppEvent.Scaled(Map.of("web", 3), Map.of("web", "Standard-2X"), "me", T0.plusSeconds(3)));
    assertEquals(3, s.quantity("web"));
    assertEquals("Standard-2X", s.size("web"));
    assertEquals("Basic", s.size("worker"));

    // a deploy whose Procfile lost a type drops it; the others keep their quantities
    s = s.apply(new AppEvent.Released(release(3, slug("web"), Map.of()), T0.plusSeconds(4)));
    assertEquals(Map.of("web", 3), s.quantities());
    assertEquals(3, s.current().version());
    assertEquals(4, s.nextVersion());
    assertEquals(Map.of("A", "1"), s.release(2).orElseThrow().config());

    s = s.apply(new AppEvent.MaintenanceChanged(true, "me", T0.plusSeconds(5)));
    assertTrue(s.maintenance());
    s = s.apply(new AppEvent.Destroyed("me", T0.plusSeconds(6)));
    assertFalse(s.exists());
    assertEquals(s.formationId("web"), s.formationId("web"), "formation ids are stable");
  }

  @Test
  void onlyTheLastThousandReleasesAreKept() {
    AppState s = AppState.empty().apply(new AppEvent.Created("id", "shop", "me", T0));
    for (int v = 1; v <= AppState.MAX_RELEASES + 5; v++) {
      s = s.apply(new AppEvent.Released(release(v, null, Map.of()), T0));
    }
    assertEquals(AppState.MAX_RELEASES, s.releases().size());
    assertEquals(6, s.releases().get(0).version());
    assertTrue(s.release(5).isEmpty());
  }
}
