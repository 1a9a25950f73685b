package io.manifold.sim.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class RandomStreamsTest {
  @Test
  void aStreamDependsOnlyOnTheSeedAndItsPurpose() {
    RandomStreams a = new RandomStreams(42);
    RandomStreams b = new RandomStreams(42);
    a.stream("service").nextLong(); // drawing from one stream ...
    assertEquals(a.stream("arrivals").nextLong(), b.stream("arrivals").nextLong()); // ... shifts no other
    assertNotEquals(a.stream("arrivals").nextLong(), a.stream("service").nextLong());
    assertNotEquals(a.stream("arrivals").nextLong(), new RandomStreams(43).stream("arrivals").nextLong());
    assertEquals(a.derive("replication/1").stream("x").nextLong(), b.derive("replication/1").stream("x").nextLong());
    assertNotEquals(a.derive("replication/1").seed(), a.derive("replication/2").seed());
  }

  @Test
  void derivedSeedsAreFixedForEver() {
    // results must be reproducible across versions: a change here changes every study's numbers
    assertEquals(-7799711588121208047L, new RandomStreams(2013).seedFor("replication/0"));
  }
}
