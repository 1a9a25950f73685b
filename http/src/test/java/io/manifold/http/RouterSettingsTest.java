package io.manifold.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** A router setting out of range is refused at start, with its key and what was expected. */
class RouterSettingsTest {
  private static RouterSettings from(String override) {
    return RouterSettings.fromConfig(ConfigFactory.parseString(override).withFallback(ConfigFactory.load()).getConfig("manifold"));
  }

  @Test
  void whoReadsTheClientsIsTheRouterByDefaultOrPekkoWhenAsked() {
    assertTrue(from("").readsClientsItself());
    assertFalse(from("manifold.router.client-parser = pekko").readsClientsItself());
  }

  @Test
  void anUnknownClientParserOrTooFewThreadsNameTheirKey() {
    IllegalArgumentException parser = assertThrows(IllegalArgumentException.class,
        () -> from("manifold.router.client-parser = nginx"));
    assertEquals("manifold.router.client-parser: expected router or pekko but found nginx", parser.getMessage());
    IllegalArgumentException threads = assertThrows(IllegalArgumentException.class,
        () -> from("manifold.router.threads = 0"));
    assertEquals("manifold.router.threads: expected at least 1 but found 0", threads.getMessage());
  }
}
