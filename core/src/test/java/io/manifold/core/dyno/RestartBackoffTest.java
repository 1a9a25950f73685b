package io.manifold.core.dyno;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

  @Test
  void herokusScheduleRestartsTwiceAtOnceThenDoublesFromTenMinutesUpToADay() {
    RestartBackoff b = RestartBackoff.HEROKU;
    assertEquals(Duration.ZERO, b.coolOff(1));
    assertEquals(Duration.ZERO, b.coolOff(2));
    assertEquals(Duration.ofMinutes(10), b.coolOff(3));
    assertEquals(Duration.ofMinutes(20), b.coolOff(4));
    assertEquals(Duration.ofMinutes(40), b.coolOff(5));
    assertEquals(Duration.ofMinutes(640), b.coolOff(9));
    assertEquals(Duration.ofMinutes(1280), b.coolOff(10));
    assertEquals(Duration.ofHours(24), b.coolOff(11));
    assertEquals(Duration.ofHours(24), b.coolOff(1_000));
  }

  @Test
  void inconsistentSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new RestartBackoff(-1, Duration.ZERO, Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> new RestartBackoff(1, Duration.ofHours(2), Duration.ofHours(1)));
  }
}
