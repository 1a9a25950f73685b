package io.manifold.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.core.InputException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormationTest {

  @Test
  void parsesTypesAndQuantitiesInOrder() {
    Map<String, Integer> f = Formation.parse("web=3, worker=1,clock=0", "--formation");
    assertEquals(new LinkedHashMap<>(Map.of("web", 3, "worker", 1, "clock", 0)), f);
    assertEquals("web=3, worker=1, clock=0", Formation.describe(f));
  }

  @Test
  void aMalformedEntryIsAnErrorNamingTheFlagAndTheEntry() {
    InputException e = assertThrows(InputException.class, () -> Formation.parse("web=3,worker", "--formation"));
    assertEquals("--formation", e.place());
    assertTrue(e.getMessage().contains("entry 2 is 'worker'"), e.getMessage());
    assertThrows(InputException.class, () -> Formation.parse("web=-1", "--formation"));
    assertThrows(InputException.class, () -> Formation.parse("", "--formation"));
  }

  @Test
  void aTypeGivenTwiceIsAnError() {
    assertTrue(assertThrows(InputException.class, () -> Formation.parse("web=1,web=2", "--formation"))
        .getMessage().contains("given twice"));
  }

  @Test
  void withChangesOnlyTheNamedTypes() {
    Formation f = new Formation(Map.of("web", 1)).with(Map.of("worker", 2));
    assertEquals(1, f.quantity("web"));
    assertEquals(2, f.quantity("worker"));
    assertEquals(0, f.quantity("clock"));
  }
}
