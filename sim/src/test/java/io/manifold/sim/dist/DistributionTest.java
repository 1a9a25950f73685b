package io.manifold.sim.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistributionTest {

  private static double sampleMean(Distribution d, int n) {
    SplittableRandom r = new SplittableRandom(1);
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += d.sample(r);
    }
    return sum / n;
  }

  private static double quantile(Distribution d, double p, int n) {
    SplittableRandom r = new SplittableRandom(2);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = d.sample(r);
    }
    java.util.Arrays.sort(v);
    return v[(int) (p * n)];
  }

  @Test
  void durationsAndRatesNeedTheirUnits() {
    assertEquals(50e6, Units.nanos("50ms"));
    assertEquals(1.5e9, Units.nanos("1.5s"));
    assertEquals(120e9, Units.nanos("2m"));
    assertEquals(250e3, Units.nanos("250us"));
    assertEquals(150, Units.perSecond("150/s"));
    assertEquals(150, Units.perSecond("9000/min"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.nanos("50"));
    assertTrue(e.getMessage().contains("with a unit"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Units.perSecond("fast"));
    assertEquals("50ms", Units.format(50e6));
    assertEquals("1.5s", Units.format(1.5e9));
  }

  @Test
  void eachNotationGivesItsDistributionWithTheRightMoments() {
    assertEquals(new Distribution.Constant(50e6), Distribution.parse("50ms", null));
    assertEquals(new Distribution.Constant(50e6), Distribution.parse("constant(50ms)", null));
    assertEquals(50e6, Distribution.parse("uniform(min=10ms, max=90ms)", null).mean(), 1e-6);
    assertEquals(new Distribution.Exponential(50e6), Distribution.parse("exponential(50ms)", null));
    assertEquals(new Distribution.Exponential(50e6), Distribution.parse("exponential(mean=50ms)", null));

    Distribution exp = Distribution.parse("exponential(mean=50ms)", null);
    assertEquals(50e6, sampleMean(exp, 400_000), 0.5e6);

    Distribution logn = Distribution.parse("lognormal(median=40ms, p99=400ms)", null);
    assertEquals(40e6, quantile(logn, 0.5, 400_000), 1e6);
    assertEquals(400e6, quantile(logn, 0.99, 400_000), 20e6);
    assertEquals(logn.mean(), sampleMean(logn, 400_000), logn.mean() * 0.02);

    Distribution.Weibull w = assertInstanceOf(Distribution.Weibull.class, Distribution.parse("weibull(shape=0.46, median=50ms)", null));
    assertEquals(50e6, w.median(), 1);
    assertEquals(50e6, quantile(w, 0.5, 400_000), 1.5e6);
    // mean = scale * Gamma(1 + 1/k); for k = 0.46 and a 50 ms median about 262 ms (Python: math.gamma)
    assertEquals(261.98e6, w.mean(), 0.01e6);
    assertEquals(w.mean(), sampleMean(w, 2_000_000), w.mean() * 0.03);
    assertEquals(new Distribution.Weibull(1, 50e6).mean(), 50e6, 1); // shape 1 is exponential
    assertEquals("weibull(shape=0.46, median=50ms)", w.toString());
  }

  @Test
  void anEmpiricalFileGivesItsOwnValues(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("t.txt"), "# measured\n10ms\n30ms\n\n50ms\n");
    Distribution d = Distribution.parse("empirical(file=t.txt)", dir);
    assertEquals(30e6, d.mean(), 1e-6);
    Files.writeString(dir.resolve("n.txt"), "10\n20\n");
    assertEquals(15e6, Distribution.parse("empirical(file=n.txt, unit=ms)", dir).mean(), 1e-6);
  }

  @Test
  void badNotationSaysWhatWasExpected(@TempDir Path dir) throws Exception {
    assertMessage("weibull(shape=0.46)", "needs median=");
    assertMessage("weibull(shape=0.46, median=50ms, scale=3s)", "unknown parameter 'median'");
    assertMessage("gamma(k=2)", "expected one of constant, uniform");
    assertMessage("exponential(mean=fast)", "expected a duration");
    assertMessage("lognormal(median=40ms, p99=4ms)", "p99 >= median");
    assertMessage("uniform(min=9ms, max=1ms)", "min <= max");
    assertMessage("weibull(shape=-1, median=50ms)", "shape must be above zero");
    assertMessage("50", "expected a duration (50ms) or a distribution");
    Files.writeString(dir.resolve("bad.txt"), "10ms\nlots\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Distribution.parse("empirical(file=bad.txt)", dir));
    assertTrue(e.getMessage().startsWith("bad.txt:2: "), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Distribution.parse("empirical(file=none.txt)", dir));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  private static void assertMessage(String text, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Distribution.parse(text, null));
    assertTrue(e.getMessage().contains(expected), text + " -> " + e.getMessage());
  }
}
