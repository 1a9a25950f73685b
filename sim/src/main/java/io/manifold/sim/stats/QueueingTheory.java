package io.manifold.sim.stats;

/**
 * Known results the simulator is checked against. Rates per second, times in seconds.
 */
public final class QueueingTheory {
  private QueueingTheory() {}

  /** M/M/1: mean response time 1/(mu - lambda). */
  public static double mm1Mean(double lambda, double mu) {
    requireStable(lambda, mu);
    return 1 / (mu - lambda);
  }

  /**
   * M/M/1 under FIFO: the response time is exponential with rate mu - lambda, so its p-th quantile
   * is -ln(1-p)/(mu - lambda); the 99th is ln(100)/(mu(1 - rho)).
   */
  public static double mm1Quantile(double p, double lambda, double mu) {
    requireStable(lambda, mu);
    return -Math.log(1 - p) / (mu - lambda);
  }

  /** Erlang C: the probability that a request of an M/M/c queue has to wait. */
  public static double erlangC(int c, double lambda, double mu) {
    double a = lambda / mu;
    double rho = a / c;
    if (rho >= 1) {
      throw new IllegalArgumentException("unstable: rho = " + rho);
    }
    // Erlang B by its recursion (stays finite for any c), then C from B
    double b = 1;
    for (int k = 1; k <= c; k++) {
      b = a * b / (k + a * b);
    }
    return b / (1 - rho * (1 - b));
  }

  /** M/M/c: mean response time 1/mu + C(c, a)/(c mu - lambda). */
  public static double mmcMean(int c, double lambda, double mu) {
    return 1 / mu + erlangC(c, lambda, mu) / (c * mu - lambda);
  }

  private static void requireStable(double lambda, double mu) {
    if (!(lambda < mu)) {
      throw new IllegalArgumentException("unstable: lambda " + lambda + " >= mu " + mu);
    }
  }
}
