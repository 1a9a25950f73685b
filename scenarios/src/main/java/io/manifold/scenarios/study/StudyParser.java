package io.manifold.scenarios.study;

import io.manifold.scenarios.yaml.Values;
import io.manifold.core.routing.RoutingPolicies;
import io.manifold.scenarios.yaml.Fields;
import io.manifold.scenarios.yaml.Problems;
import io.manifold.scenarios.yaml.YamlLoader;
import io.manifold.scenarios.yaml.YamlNode;
import io.manifold.sim.dist.Distribution;
import io.manifold.sim.load.ClosedLoop;
import io.manifold.sim.load.OpenLoop;
import io.manifold.sim.load.TraceReplay;
import io.manifold.sim.route.FrontSettings;
import io.manifold.sim.run.RunSpec;
import io.manifold.sim.run.SimSystem;
import io.manifold.sim.run.WebFormation;
import io.manifold.sim.runtime.ServiceModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a study file. The format, with defaults:
 *
 * <pre>
 * name: random-vs-least-connections      # default: the file's name
 * description: ...
 * seed: 2013                             # default 1; replication r runs with a seed derived from it
 * replications: 5                        # 1 to 1000
 * duration: 600s                         # measured, per run (required)
 * warmup: 60s                            # discarded before it (default: a tenth of the duration)
 * time: virtual                          # or real (the same actors, at the wall clock's pace)
 * app:
 *   dynos: 75                            # web dynos, 1 to 10,000
 *   concurrency: 1                       # requests a dyno serves at once
 *   service: weibull(shape=0.46, median=50ms)   # see Distribution
 *   boot: 0s                             # a duration or a distribution
 *   errors: 0%                           # share answered with a 500
 *   backlog: 256                         # requests that may wait at a dyno; more get H11
 *   memory: {start: 256MB, per-request: 1MB, limit: 1GB}   # a leak; past the limit: killed (R15)
 * router:
 *   policy: random                       # random, round-robin, least-connections, power-of-two
 *   nodes: 1                             # router nodes, each with its own in-flight counts
 *   queue: dyno                          # or router: requests wait at the router for a free dyno
 *   timeout: 30s                         # H12
 * load:
 *   arrivals: poisson                    # poisson, constant, closed, replay
 *   rate: 150/s                          # or rho: 0.7 (utilisation), or profile:
 *   profile:                             #   - {for: 60s, rate: 100/s}
 *                                        #   - {for: 60s, rate: 100/s..300/s}   (a ramp)
 *                                        #   - {for: 60s, rho: 0.9}
 *   users: 50                            # closed: users ...
 *   think: exponential(mean=1s)          #   ... and their think time
 *   file: trace.csv                      # replay: at_ms[,service_ms]
 * compare:                               # every combination is a cell
 *   policy: [random, least-connections]
 *   dynos: [50, 75, 100]                 # also: rate, rho, concurrency, service, router-nodes, queue
 * output:
 *   trace: false                         # trace.csv, one row per request
 *   trace-limit: 100000                  # rows per run, at most
 * </pre>
 *
 * Every problem is reported at once, each with the file, line, column, field and what was
 * expected; unknown fields are problems too, with a suggestion for a near miss.
 */
public final class StudyParser {
  /** Bound on a study's cells (combinations of swept values): each keeps two histograms of ~200 KB. */
  public static final int MAX_CELLS = 1000;
  public static final int MAX_REPLICATIONS = 1000;
  public static final int MAX_TRACE_LIMIT = 10_000_000;

  static final List<String> PARAMETERS = List.of("policy", "dynos", "concurrency", "service", "rate", "rho", "router-nodes", "queue");
  private static final List<String> ARRIVALS = List.of("poisson", "constant", "closed", "replay");
  private static final List<String> QUEUES = List.of("dyno", "router");
  private static final Pattern RANGE = Pattern.compile("(.+?)\\s*\\.\\.\\s*(.+)");

  private final Problems problems = new Problems();
  private final Path baseDir;
  private final String label;

  private StudyParser(Path baseDir, String label) {
    this.baseDir = baseDir;
    this.label = label;
  }

  /** @throws io.manifold.scenarios.yaml.YamlException listing every problem */
  public static Study parse(Path file) {
    String label = file.toString();
    YamlNode root = YamlLoader.load(file, label);
    Path dir = file.toAbsolutePath().getParent();
    return new StudyParser(dir, label).read(root);
  }

  /** Parses text as if it were a file named {@code label} in {@code baseDir}. */
  public static Study parse(String text, String label, Path baseDir) {
    return new StudyParser(baseDir, label).read(YamlLoader.parse(text, label));
  }

  private Study read(YamlNode root) {
    Fields top = Fields.root(root, problems);
    String name = top.value("name", t -> t, defaultName());
    String description = top.value("description", t -> t, "");
    long seed = top.value("seed", Values::parseSeed, 1L);
    int replications = top.integer("replications", 1, MAX_REPLICATIONS, 5L).intValue();
    Duration duration = top.value("duration", Values::positiveDuration, null);
    if (duration == null && !top.has("duration")) {
      top.missing("duration", "how long each run is measured, like 600s");
    }
    Duration warmup = top.value("warmup", Values::duration, duration == null ? Duration.ZERO : duration.dividedBy(10));
    SimSystem.Time time = top.value("time", t -> SimSystem.Time.valueOf(Fields.choice(t, List.of("virtual", "real")).toUpperCase(Locale.ROOT)),
        SimSystem.Time.VIRTUAL);
    Map<String, Sweep> sweeps = readCompare(top);
    Study.App app = readApp(top.map("app"), sweeps);
    Study.Router router = readRouter(top.map("router"));
    Study.Load load = readLoad(top.map("load"), sweeps);
    Study.Output output = readOutput(top.map("output"));
    top.rejectUnknown();
    problems.throwIfAny();
    List<Study.Sweep> compare = sweeps.values().stream().map(s -> new Study.Sweep(s.name, s.texts)).toList();
    return new Study(name, description, label, seed, replications, warmup, duration, time, app, router, load, compare, output);
  }

  private String defaultName() {
    String file = Path.of(label).getFileName().toString();
    return file.replaceFirst("\\.ya?ml$", "");
  }

  // --- compare ---

  private static final class Sweep {
    final String name;
    final List<String> texts = new ArrayList<>();

    Sweep(String name) {
      this.name = name;
    }
  }

  private Map<String, Sweep> readCompare(Fields top) {
    Map<String, Sweep> sweeps = new LinkedHashMap<>();
    Fields compare = top.map("compare");
    long cells = 1;
    for (String key : compare.keys()) {
      if (!PARAMETERS.contains(key)) {
        continue; // reported by rejectUnknown below, with a suggestion
      }
      Sweep sweep = new Sweep(key);
      List<YamlNode> items = compare.list(key);
      if (items.isEmpty()) {
        compare.problem(key, "expected a list of values to compare, like [random, least-connections]");
      }
      for (YamlNode item : items) {
        String text = Fields.scalarText(item, compare.path(key), problems);
        if (text != null && Fields.convert(item, compare.path(key), text, parser(key), null, problems) != null) {
          if (sweep.texts.contains(text)) {
            problems.add(item.location(), compare.path(key), "'" + text + "' is listed twice");
          }
          sweep.texts.add(text);
        }
      }
      cells *= Math.max(1, sweep.texts.size());
      sweeps.put(key, sweep);
    }
    if (sweeps.containsKey("rate") && sweeps.containsKey("rho")) {
      compare.problem("rho", "compare either rate or rho, not both: both set the arrival rate");
    }
    if (cells > MAX_CELLS) {
      problems.add(compare.location(), "compare", "expected at most " + MAX_CELLS + " combinations, but these make " + cells);
    }
    rejectUnknownParameters(compare);
    return sweeps;
  }

  private void rejectUnknownParameters(Fields compare) {
    for (String key : compare.keys()) {
      if (!PARAMETERS.contains(key)) {
        String near = Fields.nearest(key, PARAMETERS);
        compare.keyProblem(key, "cannot compare '" + key + "'"
            + (near != null ? "; did you mean '" + near + "'?" : "; expected one of " + String.join(", ", PARAMETERS)));
      }
    }
  }

  /** How a swept value of {@code parameter} is read. */
  private Function<String, ?> parser(String parameter) {
    return switch (parameter) {
      case "policy" -> t -> Fields.choice(t, RoutingPolicies.NAMES);
      case "dynos" -> t -> Fields.integer(t, 1, WebFormation.MAX_DYNOS);
      case "concurrency" -> t -> Fields.integer(t, 1, 10_000);
      case "service" -> t -> Distribution.parse(t, baseDir);
      case "rate" -> Values::rate;
      case "rho" -> Values::rho;
      case "router-nodes" -> t -> Fields.integer(t, 1, RunSpec.MAX_ROUTER_NODES);
      case "queue" -> t -> Fields.choice(t, QUEUES);
      default -> throw new IllegalStateException(parameter);
    };
  }

  // --- app, router, load, output ---

  private Study.App readApp(Fields app, Map<String, Sweep> sweeps) {
    Long dynos = app.integer("dynos", 1, WebFormation.MAX_DYNOS, null);
    if (dynos == null && !app.has("dynos") && !sweeps.containsKey("dynos")) {
      app.missing("dynos", "the number of web dynos, like 10 (or compare: dynos: [...])");
    }
    int concurrency = app.integer("concurrency", 1, 10_000, 1L).intValue();
    Distribution service = app.value("service", t -> Distribution.parse(t, baseDir), null);
    if (service == null && !app.has("service") && !sweeps.containsKey("service")) {
      app.missing("service", "a service-time distribution, like exponential(mean=50ms)");
    }
    Distribution boot = app.value("boot", t -> Distribution.parse(t, baseDir), new Distribution.Constant(0));
    double errors = app.value("errors", Values::share, 0.0);
    int backlog = app.integer("backlog", 0, 1_000_000, (long) ServiceModel.DEFAULT_BACKLOG).intValue();
    ServiceModel.Memory memory = null;
    if (app.has("memory")) {
      Fields m = app.map("memory");
      Long start = m.value("start", Values::bytes, 0L);
      Long perRequest = m.value("per-request", Values::bytes, 0L);
      Long limit = m.value("limit", Values::bytes, null);
      if (limit == null && !m.has("limit")) {
        m.missing("limit", "the memory at which the dyno is killed (Heroku's R15), like 1GB");
      }
      m.rejectUnknown();
      if (limit != null && limit > 0) {
        memory = new ServiceModel.Memory(start, perRequest, limit);
      } else if (limit != null) {
        m.problem("limit", "expected a size above zero, like 1GB");
      }
    }
    app.rejectUnknown();
    return new Study.App(dynos == null ? 1 : dynos.intValue(), concurrency, service, boot, errors, backlog, memory);
  }

  private Study.Router readRouter(Fields router) {
    String policy = router.choice("policy", RoutingPolicies.NAMES, "random");
    int nodes = router.integer("nodes", 1, RunSpec.MAX_ROUTER_NODES, 1L).intValue();
    FrontSettings.Queue queue = FrontSettings.Queue.valueOf(router.choice("queue", QUEUES, "dyno").toUpperCase(Locale.ROOT));
    Duration timeout = router.value("timeout", Values::positiveDuration, Duration.ofSeconds(30));
    router.rejectUnknown();
    return new Study.Router(policy, nodes, queue, timeout);
  }

  private Study.Load readLoad(Fields load, Map<String, Sweep> sweeps) {
    String arrivals = load.choice("arrivals", ARRIVALS, "poisson");
    boolean swept = sweeps.containsKey("rate") || sweeps.containsKey("rho");
    Study.Load result;
    switch (arrivals) {
      case "closed" -> {
        Long users = load.integer("users", 1, ClosedLoop.MAX_USERS, null);
        if (users == null && !load.has("users")) {
          load.missing("users", "how many users send requests, like 50");
        }
        Distribution think = load.value("think", t -> Distribution.parse(t, baseDir), null);
        if (think == null && !load.has("think")) {
          load.missing("think", "the users' think time, like exponential(mean=1s)");
        }
        result = new Study.Closed(users == null ? 1 : users.intValue(), think == null ? new Distribution.Constant(0) : think);
        if (swept) {
          problems.add(load.location(), "compare", "rate and rho apply to open-loop arrivals (poisson, constant), not to closed");
        }
      }
      case "replay" -> {
        String file = load.text("file");
        TraceReplay trace = null;
        if (file == null && !load.has("file")) {
          load.missing("file", "a CSV file of at_ms[,service_ms] to replay");
        } else if (file != null) {
          try {
            trace = TraceReplay.read(baseDir == null ? Path.of(file) : baseDir.resolve(file), file);
          } catch (IllegalArgumentException e) {
            load.problem("file", e.getMessage());
          }
        }
        result = new Study.Replay(file, trace);
        if (swept) {
          problems.add(load.location(), "compare", "rate and rho apply to open-loop arrivals (poisson, constant), not to a replay");
        }
      }
      default -> result = readOpen(load, arrivals, swept);
    }
    load.rejectUnknown();
    return result;
  }

  private Study.Open readOpen(Fields load, String arrivals, boolean swept) {
    OpenLoop.Arrivals kind = OpenLoop.Arrivals.valueOf(arrivals.toUpperCase(Locale.ROOT));
    Study.Level rate = load.value("rate", t -> new Study.Level(Values.rate(t), false), null);
    Study.Level rho = load.value("rho", t -> new Study.Level(Values.rho(t), true), null);
    List<Study.Segment> profile = new ArrayList<>();
    for (YamlNode item : load.list("profile")) {
      if (!(item instanceof YamlNode.MapNode m)) {
        problems.add(item.location(), load.path("profile"), "expected a segment like {for: 60s, rate: 100/s} but found " + item.kind());
        continue;
      }
      Fields seg = new Fields(m, load.path("profile"), problems);
      Duration length = seg.value("for", Values::positiveDuration, null);
      if (length == null && !seg.has("for")) {
        seg.missing("for", "how long the segment lasts, like 60s");
      }
      Study.Level[] levels = null;
      if (seg.has("rate") == seg.has("rho")) {
        problems.add(m.location(), load.path("profile"), "expected exactly one of rate (like 100/s or 100/s..300/s) or rho (like 0.5 or 0.3..0.9)");
      } else if (seg.has("rate")) {
        levels = seg.value("rate", t -> range(t, x -> new Study.Level(x.strip().startsWith("0/") ? 0 : Values.rate(x), false)), null);
      } else {
        levels = seg.value("rho", t -> range(t, x -> new Study.Level(x.strip().equals("0") ? 0 : Values.rho(x), true)), null);
      }
      seg.rejectUnknown();
      if (length != null && levels != null) {
        profile.add(new Study.Segment(length, levels[0], levels[1]));
      }
    }
    int given = (rate != null || load.has("rate") ? 1 : 0) + (rho != null || load.has("rho") ? 1 : 0) + (load.has("profile") ? 1 : 0);
    if (given > 1) {
      problems.add(load.location(), "load", "expected one of rate, rho or profile, not several");
    } else if (given == 0 && !swept) {
      problems.add(load.location(), "load", "expected an arrival rate: rate (like 150/s), rho (utilisation, like 0.7) or profile (or compare: rate/rho)");
    } else if (given == 1 && swept && load.has("profile")) {
      problems.add(load.location(), "compare", "rate and rho sweeps set a constant arrival rate; they cannot sweep a profile");
    }
    return new Study.Open(kind, rate != null ? rate : rho, profile);
  }

  private Study.Output readOutput(Fields output) {
    boolean trace = output.value("trace", Values::bool, false);
    int limit = output.integer("trace-limit", 1, MAX_TRACE_LIMIT, 100_000L).intValue();
    output.rejectUnknown();
    return new Study.Output(trace, limit);
  }

  /** {@code x} (a constant) or {@code x..y} (a ramp). */
  private static Study.Level[] range(String t, Function<String, Study.Level> one) {
    Matcher m = RANGE.matcher(t.strip());
    if (m.matches()) {
      return new Study.Level[] {one.apply(m.group(1)), one.apply(m.group(2))};
    }
    Study.Level l = one.apply(t);
    return new Study.Level[] {l, l};
  }

}
