package io.manifold.sim.runtime;

import io.manifold.sim.dist.Distribution;

/**
 * How a synthetic app behaves: how long a request takes, how many it serves at once, how many may
 * wait at a dyno, how long a dyno takes to boot, how often a request fails and how memory grows.
 *
 * @param service the service time of one request (when the request does not bring its own)
 * @param concurrency requests a dyno serves at once (1 for a single-threaded server, as the Rails
 *     dynos of the 2013 debate); the others wait in the dyno's FIFO queue
 * @param backlog bound on that queue; a request that finds it full is refused (H11)
 * @param boot time from launch until the dyno listens on its port
 * @param errorRate share of requests the app answers with 500
 * @param memory how memory grows, or null for a dyno whose memory stays flat
 */
public record ServiceModel(
    Distribution service, int concurrency, int backlog, Distribution boot, double errorRate, Memory memory) {

  /** A dyno's bound on waiting requests by default: the live router's per-dyno queue. */
  public static final int DEFAULT_BACKLOG = 256;

  public ServiceModel {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
    }
    if (backlog < 0) {
      throw new IllegalArgumentException("backlog must not be negative, not " + backlog);
    }
    if (!(errorRate >= 0 && errorRate <= 1)) {
      throw new IllegalArgumentException("error rate must be between 0 and 1, not " + errorRate);
    }
  }

  /** Single-threaded dynos that boot at once and never fail. */
  public static ServiceModel of(Distribution service) {
    return new ServiceModel(service, 1, DEFAULT_BACKLOG, new Distribution.Constant(0), 0, null);
  }

  public ServiceModel withConcurrency(int c) {
    return new ServiceModel(service, c, backlog, boot, errorRate, memory);
  }

  public ServiceModel withService(Distribution d) {
    return new ServiceModel(d, concurrency, backlog, boot, errorRate, memory);
  }

  public ServiceModel withBoot(Distribution d) {
    return new ServiceModel(service, concurrency, backlog, d, errorRate, memory);
  }

  public ServiceModel withErrorRate(double rate) {
    return new ServiceModel(service, concurrency, backlog, boot, rate, memory);
  }

  public ServiceModel withBacklog(int b) {
    return new ServiceModel(service, concurrency, b, boot, errorRate, memory);
  }

  public ServiceModel withMemory(Memory m) {
    return new ServiceModel(service, concurrency, backlog, boot, errorRate, m);
  }

  /**
   * Memory of a dyno: {@code startBytes} at boot, {@code bytesPerRequest} more for every request
   * served (a leak). Past {@code killBytes} the dyno is killed, as Heroku does at R15 (memory quota
   * vastly exceeded), and exits with 137.
   */
  public record Memory(long startBytes, long bytesPerRequest, long killBytes) {
    public Memory {
      if (startBytes < 0 || bytesPerRequest < 0 || killBytes <= 0) {
        throw new IllegalArgumentException("memory needs start >= 0, per-request >= 0 and a kill limit above zero");
      }
    }
  }
}
