package io.manifold.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Stored events are Jackson CBOR with a schema version, and older versions still read. */
class AppEventSerializationTest {
  static final ActorTestKit kit = ActorTestKit.create();
  static final Serialization serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static Object roundTrip(Object event) {
    byte[] bytes = serialization.serialize(event).get();
    var serializer = serialization.findSerializerFor(event);
    String manifest = Serializers.manifestFor(serializer, event);
    return serialization.deserialize(bytes, serializer.identifier(), manifest).get();
  }

  @Test
  void everyEventAndTheStateGoThroughJacksonCborUnchanged() throws Exception {
    Instant t = Instant.parse("2026-11-29T10:00:00.123456Z");
    Slug slug = new Slug("0123456789abcdef", "/apps/shop", Map.of("web", "java Web.java"));
    Release r = new Release(2, "r2", "Deploy 0123456", Map.of("A", "1"), slug, "me", t);
    List<AppEvent> events = List.of(
        new AppEvent.Created("id", "shop", "me", t),
        new AppEvent.Released(r, t),
        new AppEvent.Scaled(Map.of("web", 3), Map.of("web", "Standard-2X"), "me", t),
        new AppEvent.MaintenanceChanged(true, "me", t),
        new AppEvent.DrainAdded(new io.manifold.core.logs.Drain("d1", "https://logs.example/x", "d.t", t), "me", t),
        new AppEvent.DrainRemoved("d1", "me", t),
        new AppEvent.Destroyed("me", t));
    for (AppEvent e : events) {
      assertEquals("JacksonCborSerializer", serialization.findSerializerFor(e).getClass().getSimpleName(), e.getClass().getName());
      assertEquals(e, roundTrip(e));
    }
    AppState state = AppState.empty();
    for (AppEvent e : events.subList(0, 5)) {
      state = state.apply(e);
    }
    assertEquals(state, roundTrip(state), "the snapshot too");
  }

  @Test
  void aVersion1ScaledEventWithoutSizesStillReads() throws Exception {
    // what version 1 of Scaled looked like in the journal: no "sizes", no version in the manifest
    byte[] v1 = new ObjectMapper(new CBORFactory()).writeValueAsBytes(Map.of(
        "quantities", Map.of("web", 2), "user", "me", "at", "2026-01-01T00:00:00Z"));
    var serializer = serialization.findSerializerFor(new AppEvent.Scaled(Map.of(), Map.of(), "me", Instant.EPOCH));
    Object read = serialization.deserialize(v1, serializer.identifier(), AppEvent.Scaled.class.getName()).get();
    assertEquals(new AppEvent.Scaled(Map.of("web", 2), Map.of(), "me", Instant.parse("2026-01-01T00:00:00Z")), read);
    String manifest = Serializers.manifestFor(serializer, new AppEvent.Scaled(Map.of(), Map.of(), "me", Instant.EPOCH));
    assertTrue(manifest.endsWith("#2"), "new events are written as version 2: " + manifest);
  }

  @Test
  void anEventFromANewerManifoldIsRefused() throws Exception {
    var serializer = serialization.findSerializerFor(new AppEvent.Scaled(Map.of(), Map.of(), "me", Instant.EPOCH));
    byte[] bytes = serialization.serialize(new AppEvent.Scaled(Map.of(), Map.of(), "me", Instant.EPOCH)).get();
    var read = serialization.deserialize(bytes, serializer.identifier(), AppEvent.Scaled.class.getName() + "#3");
    assertTrue(read.isFailure(), "version 3 is newer than this Manifold knows");
    assertThrows(Exception.class, read::get);
  }
}
