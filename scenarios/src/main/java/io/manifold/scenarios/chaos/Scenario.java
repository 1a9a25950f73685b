package io.manifold.scenarios.chaos;

import io.manifold.scenarios.yaml.Location;
import io.manifold.sim.dist.Distribution;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A chaos scenario as its file describes it: a manifold of some nodes, apps on it, load against
 * them, faults on a timeline and what must hold. Read by {@link ScenarioParser}, which checks
 * every field, so that a value here is always usable. Times are offsets from the moment the load
 * starts (t = 0), once every app's formation is up.
 *
 * @param file the path as the user gave it, for messages and reports
 * @param duration how long the run lasts from t = 0; requests still open then get until the
 *     router's timeout (plus a margin) to be answered before they count as lost
 */
public record Scenario(
    String name,
    String description,
    String file,
    long seed,
    Duration duration,
    int nodes,
    Map<String, AppDef> apps,
    RouterDef router,
    List<LoadDef> load,
    List<FaultDef> faults,
    List<Expectation> expectations,
    List<Expectation> abort) {

  public Scenario {
    apps = Map.copyOf(apps);
    load = List.copyOf(load);
    faults = List.copyOf(faults);
    expectations = List.copyOf(expectations);
    abort = List.copyOf(abort);
  }

  /** The same scenario with another seed (the command line's {@code --seed}). */
  public Scenario withSeed(long newSeed) {
    return new Scenario(name, description, file, newSeed, duration, nodes, apps, router, load, faults, expectations, abort);
  }

  // --- apps ---

  /**
   * An app of the scenario: synthetic (a {@code synthetic} Procfile, its behaviour in config vars
   * read by the sim's live synthetic runtime) or real processes from a directory with a Procfile.
   *
   * @param procfileDir the app's directory when it runs real processes; null for a synthetic app
   * @param formation process type to quantity, at the start
   * @param config config vars set at the start (for a synthetic app, its model is added to them)
   * @param policy the routers' policy for this app; null for the scenario's
   */
  public record AppDef(
      String name, Path procfileDir, Map<String, Integer> formation, Service service, Map<String, String> config, String policy) {
    public AppDef {
      formation = Map.copyOf(formation);
      config = Map.copyOf(config);
    }

    public boolean synthetic() {
      return procfileDir == null;
    }

    /** The config vars the app starts with: its own, over its service model as the synthetic runtime reads it. */
    public Map<String, String> configVars() {
      Map<String, String> vars = new java.util.LinkedHashMap<>();
      if (synthetic() && service != null) {
        if (service.time() != null) {
          vars.put("SYNTHETIC_SERVICE", service.time().toString());
        }
        if (service.concurrency() != null) {
          vars.put("SYNTHETIC_CONCURRENCY", service.concurrency().toString());
        }
        if (service.backlog() != null) {
          vars.put("SYNTHETIC_BACKLOG", service.backlog().toString());
        }
        if (service.boot() != null) {
          vars.put("SYNTHETIC_BOOT", service.boot());
        }
        if (service.errors() != null) {
          vars.put("SYNTHETIC_ERRORS", ScenarioText.percent(service.errors()));
        }
        if (service.memory() != null) {
          vars.put("SYNTHETIC_MEMORY", service.memory());
        }
      }
      vars.putAll(config);
      return vars;
    }
  }

  /**
   * How a synthetic app serves: as config vars of the live synthetic runtime. Null fields keep
   * the runtime's defaults.
   *
   * @param time the service time of one request; the load generator draws each request's from it
   *     (seeded) and sends it along, so that a request takes the same time whichever dyno serves it
   */
  public record Service(Distribution time, Integer concurrency, Integer backlog, String boot, Double errors, String memory) {}

  /** The routers: how they pick a dyno and how long they wait for one (H12). */
  public record RouterDef(String policy, Duration timeout) {}

  // --- load ---

  /**
   * Requests against one app, from {@code start} for {@code duration}.
   *
   * @param via router nodes the requests go to: empty for every live node in turn (as a load
   *     balancer in front of Heroku's routers), else these nodes (1-based)
   */
  public record LoadDef(
      Location location, String app, Arrivals arrivals, Duration start, Duration duration, String path, List<Integer> via) {}

  /** How requests arrive. */
  public sealed interface Arrivals {}

  /** Open loop: Poisson or evenly spaced, at a rate that may step and ramp (requests per second). */
  public record Open(boolean poisson, List<Segment> profile) implements Arrivals {}

  /** {@code length} long, from {@code from} to {@code to} requests per second. */
  public record Segment(Duration length, double from, double to) {}

  /** Closed loop: {@code users} each send a request, wait for its answer, think, and again. */
  public record Closed(int users, Distribution think) implements Arrivals {}

  /** A trace file: one request at each offset, with its service time when the file gives one. */
  public record Replay(String file, long[] atNanos, long[] serviceNanos) implements Arrivals {}

  // --- faults ---

  /**
   * A fault on the timeline: what, when, and for how long ({@code lasts} null: until the run ends,
   * or it is an event like a crash that has no heal).
   *
   * @param index 1-based, as expectations name it ({@code fault: 1})
   */
  public record FaultDef(int index, Location location, Duration at, Duration lasts, Fault fault) {
    public String describe() {
      return fault.describe() + " at " + ScenarioText.duration(at) + (lasts == null ? "" : " for " + ScenarioText.duration(lasts));
    }
  }

  /** What a fault does. Each names its kind as the file writes it. */
  public sealed interface Fault {
    String kind();

    String describe();
  }

  /** A node dies at once (its processes with it); healed: a new node joins in its place. */
  public record KillNode(int node) implements Fault {
    public String kind() {
      return "kill-node";
    }

    public String describe() {
      return "kill node " + node;
    }
  }

  /** A node leaves the cluster the graceful way; healed: a new node joins in its place. */
  public record StopNode(int node) implements Fault {
    public String kind() {
      return "stop-node";
    }

    public String describe() {
      return "stop node " + node;
    }
  }

  /** A node dies (or leaves, when graceful) and a new one joins in its place at once. */
  public record RestartNode(int node, boolean graceful) implements Fault {
    public String kind() {
      return "restart-node";
    }

    public String describe() {
      return (graceful ? "restart node " : "kill and restart node ") + node;
    }
  }

  /** The cluster's network splits: nodes on one side cannot reach the other (one way only if asked). */
  public record Partition(List<Integer> side, List<Integer> other, boolean oneWay) implements Fault {
    public String kind() {
      return "partition";
    }

    public String describe() {
      return "partition " + side + (oneWay ? " -/-> " : " | ") + other;
    }
  }

  /**
   * Every byte of cluster traffic between a node of one side and a node of the other takes
   * {@code latency} longer each way (give or take up to {@code jitter}), in order, as
   * {@code tc netem delay} would make it; healed: no delay. Nodes on the same side, and HTTP
   * between routers and dynos, are not affected.
   */
  public record LinkLatency(List<Integer> side, List<Integer> other, Duration latency, Duration jitter) implements Fault {
    public LinkLatency {
      side = List.copyOf(side);
      other = List.copyOf(other);
    }

    public String kind() {
      return "link-latency";
    }

    public String describe() {
      return "link latency " + ScenarioText.duration(latency) + (jitter.isZero() ? "" : " +/- " + ScenarioText.duration(jitter))
          + " " + side + " <-> " + other;
    }
  }

  /** Dynos chosen by a {@link Selector} suffer {@code effect}. */
  public record DynoFault(DynoEffect effect, Selector dynos) implements Fault {
    public String kind() {
      return effect.kind();
    }

    public String describe() {
      return effect.describe() + " on " + dynos.describe();
    }
  }

  /** What happens to a chosen dyno. */
  public sealed interface DynoEffect {
    String kind();

    String describe();
  }

  /** The dyno's process exits now; Heroku's restart rules bring it back. */
  public record Crash() implements DynoEffect {
    public String kind() {
      return "crash-dyno";
    }

    public String describe() {
      return "crash";
    }
  }

  /** Every start of the dyno crashes soon after boot, until healed. */
  public record CrashLoop() implements DynoEffect {
    public String kind() {
      return "crash-loop";
    }

    public String describe() {
      return "crash loop";
    }
  }

  /** The dyno accepts requests and never answers (H12 at the router), until healed. */
  public record Hang() implements DynoEffect {
    public String kind() {
      return "hang-dyno";
    }

    public String describe() {
      return "hang";
    }
  }

  /** Every request the dyno serves takes {@code extra} longer. */
  public record Slow(Duration extra) implements DynoEffect {
    public String kind() {
      return "slow-dyno";
    }

    public String describe() {
      return "+" + ScenarioText.duration(extra) + " latency";
    }
  }

  /** A share of the dyno's answers are 500s. */
  public record Errors(double share) implements DynoEffect {
    public String kind() {
      return "error-dyno";
    }

    public String describe() {
      return ScenarioText.percent(share) + " errors";
    }
  }

  /** The dyno's memory grows by {@code bytesPerRequest} with every request (R14, then R15). */
  public record Leak(long bytesPerRequest) implements DynoEffect {
    public String kind() {
      return "memory-leak";
    }

    public String describe() {
      return "leak of " + ScenarioText.bytes(bytesPerRequest) + " a request";
    }
  }

  /**
   * Which dynos a dyno fault hits: one by name, or of a process type {@code count} of them, or a
   * {@code percent} of them, or all; which ones is a seeded random choice among the type's dynos
   * at the moment the fault fires.
   */
  public record Selector(String app, String dyno, String type, Integer count, Double percent) {
    public String describe() {
      if (dyno != null) {
        return app + "/" + dyno;
      }
      if (percent != null) {
        return ScenarioText.percent(percent) + " of " + app + "/" + type;
      }
      return (count == null ? "all " : count + " of ") + app + "/" + type;
    }
  }

  /** The app's formation changes (ps:scale). */
  public record Scale(String app, Map<String, Integer> quantities) implements Fault {
    public String kind() {
      return "scale";
    }

    public String describe() {
      return "scale " + app + " to " + quantities;
    }
  }

  /** Every dyno of the app restarts, as a deploy does. */
  public record RestartAll(String app) implements Fault {
    public String kind() {
      return "restart-all";
    }

    public String describe() {
      return "restart all of " + app;
    }
  }

  /** Maintenance mode on (H80 for every request); healed: off. */
  public record Maintenance(String app) implements Fault {
    public String kind() {
      return "maintenance";
    }

    public String describe() {
      return "maintenance on " + app;
    }
  }

  /** Config vars change (a new release; every dyno restarts); healed: the previous values return. */
  public record ConfigChange(String app, Map<String, String> set) implements Fault {
    public ConfigChange {
      set = Map.copyOf(set);
    }

    public String kind() {
      return "config";
    }

    public String describe() {
      return "config change on " + app + " " + set.keySet();
    }
  }

  // --- expectations ---

  /**
   * Something that must hold (in {@code expect}), or that stops the run when it holds (in
   * {@code abort}): a metric over a window, compared with a bound.
   *
   * @param code the H-code or HTTP status for {@code metric: responses}
   * @param fault the fault (1-based) for {@code recovery-time}, or for a window tied to a fault
   * @param app the app whose requests are measured; null for every app's
   */
  public record Expectation(
      int index, Location location, Metric metric, Window window, Bound bound, String code, Integer fault, String app) {
    public Expectation(int index, Location location, Metric metric, Window window, Bound bound, String code, Integer fault) {
      this(index, location, metric, window, bound, code, fault, null);
    }

    public String describe() {
      String what = metric.name + (code == null ? "" : " " + code) + (app == null ? "" : " of " + app);
      String of = metric == Metric.RECOVERY_TIME ? " of fault " + fault : " " + window.describe();
      return what + of + " " + bound.describe(metric);
    }
  }

  /** What can be measured. */
  public enum Metric {
    ERROR_RATE("error-rate", Unit.SHARE),
    P50("p50-latency", Unit.TIME),
    P90("p90-latency", Unit.TIME),
    P95("p95-latency", Unit.TIME),
    P99("p99-latency", Unit.TIME),
    P999("p99.9-latency", Unit.TIME),
    MAX("max-latency", Unit.TIME),
    MEAN("mean-latency", Unit.TIME),
    THROUGHPUT("throughput", Unit.RATE),
    REQUESTS("requests", Unit.COUNT),
    RESPONSES("responses", Unit.COUNT),
    LOST("lost-requests", Unit.COUNT),
    RECOVERY_TIME("recovery-time", Unit.TIME),
    LOG_LINES_DROPPED("log-lines-dropped", Unit.COUNT);

    public final String name;
    public final Unit unit;

    Metric(String name, Unit unit) {
      this.name = name;
      this.unit = unit;
    }

    public static Metric named(String name) {
      for (Metric m : values()) {
        if (m.name.equals(name)) {
          return m;
        }
      }
      return null;
    }
  }

  /** How a metric's values are written and compared: shares as 0..1, times in nanoseconds, rates per second. */
  public enum Unit { SHARE, TIME, RATE, COUNT }

  /** {@code below: x} (strictly less) or {@code above: x} (strictly more), in the metric's unit. */
  public record Bound(boolean below, double value) {
    public boolean holds(double measured) {
      return below ? measured < value : measured > value;
    }

    public String describe(Metric m) {
      return (below ? "below " : "above ") + ScenarioText.value(m.unit, value);
    }
  }

  /**
   * A stretch of the run: the whole of it, before the first fault, while a fault lasts, after
   * the last (or a given) fault's recovery, the last part of the run so far (for aborts), or
   * fixed offsets.
   */
  public record Window(Kind kind, Integer fault, Duration from, Duration to) {
    public enum Kind { WHOLE, BEFORE, DURING, AFTER_RECOVERY, RANGE, LAST }

    public static final Window WHOLE = new Window(Kind.WHOLE, null, null, null);

    public String describe() {
      return switch (kind) {
        case WHOLE -> "over the whole run";
        case BEFORE -> "before the first fault";
        case DURING -> "during fault " + fault;
        case AFTER_RECOVERY -> fault == null ? "after recovery" : "after fault " + fault + "'s recovery";
        case RANGE -> "from " + ScenarioText.duration(from) + " to " + ScenarioText.duration(to);
        case LAST -> "over the last " + ScenarioText.duration(to);
      };
    }
  }
}
