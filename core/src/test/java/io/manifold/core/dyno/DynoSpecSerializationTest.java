package io.manifold.core.dyno;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A dyno's spec crosses nodes in {@link Dyno.Ensure}: its memory quota goes with it. */
class DynoSpecSerializationTest {
  static final ActorTestKit kit = ActorTestKit.create();
  static final Serialization serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void anEnsureCarriesTheSpecWithItsMemoryQuotaThroughJacksonCbor() {
    DynoSpec spec = new DynoSpec("shop", new DynoName("web", 2), "synthetic", Map.of("A", "1"), 3, Path.of("/apps/shop"), 1024);
    Dyno.Ensure ensure = new Dyno.Ensure(spec, kit.<DynoStatus>createTestProbe().getRef());
    byte[] bytes = serialization.serialize(ensure).get();
    var serializer = serialization.findSerializerFor(ensure);
    Object back = serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, ensure)).get();
    assertEquals(ensure, back);
    assertEquals(DynoSpec.DEFAULT_MEMORY_QUOTA_MB, new DynoSpec("shop", new DynoName("web", 1), "x", Map.of(), 1, Path.of(".")).memoryQuotaMb());
  }
}
