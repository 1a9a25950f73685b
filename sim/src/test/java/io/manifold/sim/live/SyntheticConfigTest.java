package io.manifold.sim.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.sim.dist.Distribution;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A synthetic app's config vars: what each means, the defaults, and the errors for bad values. */
class SyntheticConfigTest {

  @Test
  void anAppWithoutSyntheticVariablesGetsTheDefaults() {
    SyntheticConfig c = SyntheticConfig.parse(Map.of("GREETING", "hi", "DATABASE_URL", "postgres://x"));
    assertEquals(SyntheticConfig.DEFAULT, c);
    assertEquals(new Distribution.Constant(20e6), c.service());
    assertEquals(1, c.concurrency());
    assertEquals(256, c.backlog());
    assertEquals(0, c.errorShare());
    assertEquals(64L << 20, c.memoryStartBytes());
    assertEquals(0, c.memoryPerRequestBytes());
  }

  @Test
  void everyVariableIsRead() {
    SyntheticConfig c = SyntheticConfig.parse(Map.of(
        "SYNTHETIC_SERVICE", "lognormal(median=40ms, p99=400ms)",
        "SYNTHETIC_CONCURRENCY", "8",
        "SYNTHETIC_BACKLOG", "0",
        "SYNTHETIC_BOOT", "uniform(min=1s, max=3s)",
        "SYNTHETIC_ERRORS", "2.5%",
        "SYNTHETIC_MEMORY", "start=200MB, per-request=1.5KB",
        "SYNTHETIC_SEED", "-42"));
    assertEquals("lognormal(median=40ms, p99=400ms)", c.service().toString());
    assertEquals(8, c.concurrency());
    assertEquals(0, c.backlog());
    assertEquals(new Distribution.Uniform(1e9, 3e9), c.boot());
    assertEquals(0.025, c.errorShare(), 1e-12);
    assertEquals(200L << 20, c.memoryStartBytes());
    assertEquals(1536, c.memoryPerRequestBytes());
    assertEquals(-42, c.seed());
  }

  @Test
  void shortFormsAreAccepted() {
    SyntheticConfig c = SyntheticConfig.parse(Map.of(
        "SYNTHETIC_SERVICE", "35ms", "SYNTHETIC_BOOT", "2s", "SYNTHETIC_ERRORS", "0.1", "SYNTHETIC_MEMORY", "1GB"));
    assertEquals(new Distribution.Constant(35e6), c.service());
    assertEquals(new Distribution.Constant(2e9), c.boot());
    assertEquals(0.1, c.errorShare(), 1e-12);
    assertEquals(1L << 30, c.memoryStartBytes());
    assertEquals(0, c.memoryPerRequestBytes());
    assertEquals(0, SyntheticConfig.parse(Map.of("SYNTHETIC_MEMORY", "per-request=0b")).memoryPerRequestBytes());
  }

  @Test
  void anEmpiricalServiceTimeIsReadFromTheAppsDirectory(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("times.txt"), "10ms\n30ms\n");
    SyntheticConfig c = SyntheticConfig.parse(Map.of("SYNTHETIC_SERVICE", "empirical(file=times.txt)"), dir);
    assertEquals(20e6, c.service().mean(), 1e-6);
  }

  @Test
  void theConfigGoesBackToConfigVarsAndReadsTheSame() {
    SyntheticConfig c = SyntheticConfig.DEFAULT
        .withService(new Distribution.Exponential(50e6)).withConcurrency(4).withBacklog(10)
        .withBoot(new Distribution.Constant(1e9)).withErrorShare(0.25).withMemory(300L << 20, 2048).withSeed(7);
    assertEquals(c, SyntheticConfig.parse(c.toEnv()));
  }

  private static String error(String key, String value) {
    return assertThrows(IllegalArgumentException.class, () -> SyntheticConfig.parse(Map.of(key, value))).getMessage();
  }

  @Test
  void aBadValueIsAnErrorThatNamesTheVariableAndWhatWasExpected() {
    String m = error("SYNTHETIC_SERVICE", "lognormal(median=40ms)");
    assertTrue(m.startsWith("SYNTHETIC_SERVICE=lognormal(median=40ms): ") && m.contains("p99"), m);
    m = error("SYNTHETIC_SERVICE", "40");
    assertTrue(m.startsWith("SYNTHETIC_SERVICE=40: ") && m.contains("expected a duration"), m);
    m = error("SYNTHETIC_CONCURRENCY", "zero");
    assertEquals("SYNTHETIC_CONCURRENCY=zero: expected a whole number from 1 to 1024", m);
    m = error("SYNTHETIC_CONCURRENCY", "0");
    assertEquals("SYNTHETIC_CONCURRENCY=0: expected a whole number from 1 to 1024", m);
    m = error("SYNTHETIC_BACKLOG", "-1");
    assertEquals("SYNTHETIC_BACKLOG=-1: expected a whole number from 0 to 10000", m);
    m = error("SYNTHETIC_BACKLOG", "99999999999999999999");
    assertTrue(m.startsWith("SYNTHETIC_BACKLOG="), m);
    m = error("SYNTHETIC_BOOT", "soon");
    assertTrue(m.startsWith("SYNTHETIC_BOOT=soon: "), m);
    m = error("SYNTHETIC_ERRORS", "150%");
    assertEquals("SYNTHETIC_ERRORS=150%: expected a share from 0% to 100% (or 0 to 1)", m);
    m = error("SYNTHETIC_ERRORS", "some");
    assertEquals("SYNTHETIC_ERRORS=some: expected a share such as 2% or 0.02", m);
    m = error("SYNTHETIC_MEMORY", "start=200");
    assertTrue(m.startsWith("SYNTHETIC_MEMORY=start=200: expected start=<size>, per-request=<size>") && m.contains("found '200'"), m);
    m = error("SYNTHETIC_MEMORY", "begin=200MB");
    assertTrue(m.startsWith("SYNTHETIC_MEMORY=begin=200MB: unknown part 'begin'"), m);
    m = error("SYNTHETIC_SEED", "1.5");
    assertEquals("SYNTHETIC_SEED=1.5: expected a whole number", m);
  }

  @Test
  void anUnknownSyntheticVariableIsAnErrorWithTheNearestName() {
    String m = error("SYNTHETIC_CONCURENCY", "2");
    assertTrue(m.startsWith("SYNTHETIC_CONCURENCY is not a synthetic app's variable; expected one of SYNTHETIC_SERVICE,"), m);
    assertTrue(m.endsWith("did you mean SYNTHETIC_CONCURRENCY?"), m);
  }
}
