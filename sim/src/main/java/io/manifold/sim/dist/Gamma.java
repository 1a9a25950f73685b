package io.manifold.sim.dist;

/** The gamma function, for the Weibull's mean: Lanczos' approximation (g = 7, 9 terms). */
final class Gamma {
  private static final double[] C = {
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7
  };

  private Gamma() {}

  /** Gamma(x) for x > 0, to about 15 significant digits. */
  static double gamma(double x) {
    if (x < 0.5) {
      return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x)); // reflection
    }
    x -= 1;
    double a = C[0];
    double t = x + 7.5;
    for (int i = 1; i < 9; i++) {
      a += C[i] / (x + i);
    }
    return Math.sqrt(2 * Math.PI) * Math.pow(t, x + 0.5) * Math.exp(-t) * a;
  }
}
