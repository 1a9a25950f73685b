package io.manifold.scenarios.study;

import io.manifold.sim.dist.Distribution;
import io.manifold.sim.load.OpenLoop;
import io.manifold.sim.load.TraceReplay;
import io.manifold.sim.route.FrontSettings;
import io.manifold.sim.run.SimSystem;
import io.manifold.sim.runtime.ServiceModel;
import java.time.Duration;
import java.util.List;

/**
 * A routing study as a YAML file describes it (see {@link StudyParser} for the format): one
 * synthetic app behind a router, under a load, with parameters swept in {@code compare}, each
 * combination run {@code replications} times.
 *
 * @param source the file's name, as given
 */
public record Study(
    String name,
    String description,
    String source,
    long seed,
    int replications,
    Duration warmup,
    Duration duration,
    SimSystem.Time time,
    App app,
    Router router,
    Load load,
    List<Sweep> compare,
    Output output) {

  public Study {
    compare = List.copyOf(compare);
  }

  public Study withSeed(long s) {
    return new Study(name, description, source, s, replications, warmup, duration, time, app, router, load, compare, output);
  }

  public Study withTime(SimSystem.Time t) {
    return new Study(name, description, source, seed, replications, warmup, duration, t, app, router, load, compare, output);
  }

  /** The app: its web dynos and how they serve. */
  public record App(int dynos, int concurrency, Distribution service, Distribution boot, double errorRate, int backlog,
      ServiceModel.Memory memory) {}

  /** The routers. */
  public record Router(String policy, int nodes, FrontSettings.Queue queue, Duration timeout) {}

  /** An arrival rate per second, or a utilisation (rho) that becomes one given the cell's dynos. */
  public record Level(double value, boolean rho) {
    public double perSecond(int dynos, int concurrency, Distribution service) {
      return rho ? value * dynos * concurrency / (service.mean() / 1e9) : value;
    }

    @Override
    public String toString() {
      return rho ? io.manifold.sim.dist.Units.trimNumber(value) : io.manifold.sim.dist.Units.trimNumber(value) + "/s";
    }
  }

  /** How requests come. */
  public sealed interface Load {}

  /**
   * Open loop: {@code level} for the whole run, or {@code profile}, segments of a level or of a
   * linear ramp between two levels.
   */
  public record Open(OpenLoop.Arrivals arrivals, Level level, List<Segment> profile) implements Load {
    public Open {
      profile = List.copyOf(profile);
    }
  }

  public record Segment(Duration length, Level from, Level to) {}

  public record Closed(int users, Distribution think) implements Load {}

  public record Replay(String file, TraceReplay trace) implements Load {}

  /** A swept parameter and its values as written. */
  public record Sweep(String parameter, List<String> values) {
    public Sweep {
      values = List.copyOf(values);
    }
  }

  /**
   * @param trace whether to write {@code trace.csv}
   * @param traceLimit requests per run written to it, at most
   */
  public record Output(boolean trace, int traceLimit) {}
}
