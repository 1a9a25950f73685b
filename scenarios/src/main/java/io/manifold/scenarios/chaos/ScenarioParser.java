package io.manifold.scenarios.chaos;

import io.manifold.core.dyno.DynoName;
import io.manifold.core.routing.RoutingPolicies;
import io.manifold.scenarios.chaos.Scenario.AppDef;
import io.manifold.scenarios.chaos.Scenario.Expectation;
import io.manifold.scenarios.chaos.Scenario.FaultDef;
import io.manifold.scenarios.chaos.Scenario.LoadDef;
import io.manifold.scenarios.chaos.Scenario.Metric;
import io.manifold.scenarios.chaos.Scenario.Window;
import io.manifold.scenarios.yaml.Fields;
import io.manifold.scenarios.yaml.Location;
import io.manifold.scenarios.yaml.Problems;
import io.manifold.scenarios.yaml.Values;
import io.manifold.scenarios.yaml.YamlLoader;
import io.manifold.scenarios.yaml.YamlNode;
import io.manifold.sim.dist.Distribution;
import io.manifold.sim.live.SyntheticConfig;
import io.manifold.sim.load.TraceReplay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and checks a scenario file. The format, with defaults:
 *
 * <pre>
 * name: node-loss-under-load            # default: the file's name
 * description: ...
 * seed: 42                              # default 1; the same seed gives the same inputs
 * duration: 60s                         # default: the end of the last load
 * cluster: {nodes: 3}                   # 1 to 7 nodes in this JVM (default 1)
 * apps:
 *   shop:
 *     formation: {web: 6}               # required
 *     service:                          # a synthetic app (the default): how it serves
 *       time: lognormal(median=40ms, p99=400ms)
 *       concurrency: 1                  # requests a dyno serves at once
 *       backlog: 50                     # more may wait at a dyno
 *       boot: 2s                        # a duration or a distribution
 *       errors: 0%                      # share answered with a 500
 *       memory: {start: 200MB, per-request: 1MB}
 *     procfile: examples/hello          # instead of service: real processes from that directory
 *     config: {KEY: value}              # config vars at the start
 *     policy: least-connections         # the routers' policy for this app (default: router.policy)
 * router: {policy: random, timeout: 30s}
 * load:                                 # a list, or one entry
 *   - {app: shop, arrivals: poisson, rate: 200/s, start: 0s, duration: 60s, path: /, via: [2, 3]}
 *   - {app: shop, arrivals: constant, profile: [{for: 20s, rate: 100/s}, {for: 20s, rate: 100/s..300/s}]}
 *   - {app: shop, arrivals: closed, users: 20, think: exponential(mean=1s)}
 *   - {app: shop, arrivals: replay, file: trace.csv}      # at_ms[,service_ms]
 * faults:                               # each: at, optional for (then healed), and one fault
 *   - {at: 20s, kill-node: 2}                             # for: a new node takes its place
 *   - {at: 20s, stop-node: 2}                             # a graceful leave
 *   - {at: 20s, restart-node: {node: 2, graceful: false}}
 *   - {at: 35s, partition: {sides: [[1], [2, 3]], one-way: false}, for: 10s}
 *   - {at: 35s, link-latency: {sides: [[1], [2, 3]], latency: 200ms, jitter: 20ms}, for: 10s}   # each way
 *   - {at: 50s, crash-dyno: {app: shop, dyno: web.3}}
 *   - {at: 50s, crash-loop: {app: shop, type: web, count: 1}, for: 20s}
 *   - {at: 50s, hang-dyno: {app: shop, type: web, percent: 50%}, for: 10s}
 *   - {at: 50s, slow-dyno: {app: shop, dyno: web.1, latency: 500ms}, for: 10s}
 *   - {at: 50s, error-dyno: {app: shop, dyno: web.2, share: 20%}}
 *   - {at: 50s, memory-leak: {app: shop, dyno: web.2, per-request: 5MB}}
 *   - {at: 10s, scale: {app: shop, web: 3}}
 *   - {at: 10s, restart-all: shop}
 *   - {at: 10s, maintenance: shop, for: 5s}
 *   - {at: 10s, config: {app: shop, set: {SYNTHETIC_SERVICE: constant(100ms)}}, for: 10s}
 * expect:
 *   - {metric: error-rate, during: whole, below: 2%}
 *   - {metric: p99-latency, during: after-recovery, below: 1s}
 *   - {metric: recovery-time, fault: 1, below: 15s}
 *   - {metric: lost-requests, below: 1}
 *   - {metric: responses, code: H12, below: 5}
 *   - {metric: error-rate, from: 10s, to: 20s, below: 5%}
 *   - {metric: p90-latency, app: shop, below: 100ms}         # one app's requests (default: all)
 * abort:                                # stop the run when one of these holds
 *   - {metric: error-rate, over: 10s, above: 50%}
 * </pre>
 *
 * Every problem is reported at once, each with the file, line, column, field and what was
 * expected; unknown fields are problems too, with a suggestion for a near miss.
 */
public final class ScenarioParser {
  public static final int MAX_NODES = 7;
  public static final int MAX_APPS = 20;
  public static final int MAX_DYNOS_PER_TYPE = 100;
  public static final int MAX_LOADS = 20;
  public static final int MAX_FAULTS = 200;
  public static final int MAX_EXPECTATIONS = 200;
  /** Bound on the requests a scenario's load may send per second, all loads together. */
  public static final double MAX_RATE = 5000;
  public static final int MAX_USERS = 2000;
  public static final Duration MAX_DURATION = Duration.ofHours(1);

  /** The longest link latency: past the failure detector's pause a node is cut off already; this bounds what is held back. */
  public static final Duration MAX_LINK_LATENCY = Duration.ofSeconds(30);

  static final List<String> FAULT_KINDS = List.of("kill-node", "stop-node", "restart-node", "partition", "link-latency", "crash-dyno",
      "crash-loop", "hang-dyno", "slow-dyno", "error-dyno", "memory-leak", "scale", "restart-all", "maintenance", "config");
  private static final List<String> ARRIVALS = List.of("poisson", "constant", "closed", "replay");
  private static final List<String> WINDOWS = List.of("whole", "before", "fault", "after-recovery");
  private static final Pattern RANGE = Pattern.compile("(.+?)\\s*\\.\\.\\s*(.+)");
  private static final Pattern H_CODE = Pattern.compile("H[0-9]{2}|[1-5][0-9]{2}");
  private static final Pattern CONFIG_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Problems problems = new Problems();
  private final Path baseDir;
  private final String label;

  private ScenarioParser(Path baseDir, String label) {
    this.baseDir = baseDir;
    this.label = label;
  }

  /** @throws io.manifold.scenarios.yaml.YamlException listing every problem */
  public static Scenario parse(Path file) {
    String label = file.toString();
    YamlNode root = YamlLoader.load(file, label);
    return new ScenarioParser(file.toAbsolutePath().getParent(), label).read(root);
  }

  /** Parses text as if it were a file named {@code label} in {@code baseDir}. */
  public static Scenario parse(String text, String label, Path baseDir) {
    return new ScenarioParser(baseDir, label).read(YamlLoader.parse(text, label));
  }

  private Scenario read(YamlNode root) {
    Fields top = Fields.root(root, problems);
    String name = top.value("name", t -> t, defaultName());
    String description = top.value("description", t -> t, "");
    long seed = top.value("seed", Values::parseSeed, 1L);
    Duration duration = top.value("duration", ScenarioParser::runLength, null);
    Fields cluster = top.map("cluster");
    int nodes = cluster.integer("nodes", 1, MAX_NODES, 1L).intValue();
    cluster.rejectUnknown();
    Map<String, AppDef> apps = readApps(top);
    Scenario.RouterDef router = readRouter(top.map("router"));
    List<LoadDef> load = readLoads(top, apps, duration);
    if (duration == null) {
      duration = load.stream().map(l -> l.start().plus(l.duration())).max(Duration::compareTo).orElse(null);
      if (duration == null && !top.has("duration") && !top.has("load")) {
        top.missing("duration", "how long the run lasts, like 60s (or a load with a duration)");
      }
    }
    List<FaultDef> faults = readFaults(top, apps, nodes, duration);
    List<Expectation> expect = readExpectations(top, "expect", faults, apps, false);
    List<Expectation> abort = readExpectations(top, "abort", faults, apps, true);
    top.rejectUnknown();
    problems.throwIfAny();
    return new Scenario(name, description, label, seed, duration, nodes, apps, router, load, faults, expect, abort);
  }

  private String defaultName() {
    return Path.of(label).getFileName().toString().replaceFirst("\\.ya?ml$", "");
  }

  static Duration runLength(String t) {
    Duration d = Values.positiveDuration(t);
    if (d.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException("expected at most " + MAX_DURATION.toMinutes() + " minutes but found '" + t + "'");
    }
    return d;
  }

  // --- apps ---

  private Map<String, AppDef> readApps(Fields top) {
    Map<String, AppDef> apps = new LinkedHashMap<>();
    Fields section = top.map("apps");
    if (!top.has("apps")) {
      top.missing("apps", "the apps to run, like apps: {shop: {formation: {web: 4}}}");
    }
    for (String name : section.keys()) {
      section.node(name);
      if (!name.matches("[a-z][a-z0-9-]{1,29}")) {
        section.keyProblem(name, "expected an app name of 2 to 30 lower-case letters, digits and dashes, starting with a letter");
        continue;
      }
      if (apps.size() == MAX_APPS) {
        section.keyProblem(name, "expected at most " + MAX_APPS + " apps");
        continue;
      }
      AppDef app = readApp(name, section.map(name));
      if (app != null) {
        apps.put(name, app);
      }
    }
    if (top.has("apps") && section.keys().isEmpty()) {
      top.problem("apps", "expected at least one app");
    }
    return apps;
  }

  private AppDef readApp(String name, Fields app) {
    Map<String, Integer> formation = new LinkedHashMap<>();
    Fields f = app.map("formation");
    if (!app.has("formation")) {
      app.missing("formation", "the process types and their quantities, like {web: 4}");
    }
    for (String type : f.keys()) {
      Long q = f.integer(type, 0, MAX_DYNOS_PER_TYPE, null);
      if (!type.matches("[a-z][a-z0-9_-]*")) {
        f.keyProblem(type, "expected a process type name (lower-case letters, digits, - and _), like web or worker");
      } else if (q != null) {
        formation.put(type, q.intValue());
      }
    }
    Path dir = null;
    String procfile = app.text("procfile");
    String runtime = app.choice("runtime", List.of("synthetic", "procfile"), procfile == null ? "synthetic" : "procfile");
    if (procfile != null) {
      dir = baseDir == null ? Path.of(procfile) : baseDir.resolve(procfile);
      if (!Files.isRegularFile(dir.resolve("Procfile"))) {
        app.problem("procfile", "expected a directory with a Procfile, but " + dir + (Files.isDirectory(dir) ? " has none" : " is not a directory"));
      }
    } else if (runtime.equals("procfile")) {
      app.missing("procfile", "the directory of the app's Procfile, for runtime: procfile");
    }
    Scenario.Service service = null;
    if (app.has("service")) {
      if (procfile != null) {
        app.problem("service", "a service model is for synthetic apps; this app runs the processes of its Procfile");
      }
      service = readService(app.map("service"));
    }
    Map<String, String> config = readConfig(app.map("config"));
    String policy = app.choice("policy", RoutingPolicies.NAMES, null);
    app.rejectUnknown();
    AppDef def = new AppDef(name, dir, formation, service, config, policy);
    if (def.synthetic()) {
      // what the synthetic runtime will read, checked now rather than as dynos that crash at start
      try {
        SyntheticConfig.parse(def.configVars(), baseDir);
      } catch (IllegalArgumentException e) {
        problems.add(app.location(), app.path(app.has("config") ? "config" : "service"), e.getMessage());
      }
    }
    return def;
  }

  private Scenario.Service readService(Fields s) {
    Distribution time = s.value("time", t -> Distribution.parse(t, baseDir), null);
    Long concurrency = s.integer("concurrency", 1, 10_000, null);
    Long backlog = s.integer("backlog", 0, 100_000, null);
    String boot = s.value("boot", t -> {
      Distribution.parse(t.matches("\\s*[0-9.]+\\s*[a-zµ]+\\s*") ? "constant(" + t + ")" : t, baseDir);
      return t;
    }, null);
    Double errors = s.value("errors", Values::share, null);
    String memory = null;
    if (s.has("memory")) {
      Fields m = s.map("memory");
      Long start = m.value("start", Values::bytes, 0L);
      Long perRequest = m.value("per-request", Values::bytes, 0L);
      m.rejectUnknown();
      memory = "start=" + ScenarioText.bytes(start) + ", per-request=" + ScenarioText.bytes(perRequest);
    }
    s.rejectUnknown();
    return new Scenario.Service(time, concurrency == null ? null : concurrency.intValue(),
        backlog == null ? null : backlog.intValue(), boot, errors, memory);
  }

  private Map<String, String> readConfig(Fields config) {
    Map<String, String> vars = new LinkedHashMap<>();
    for (String key : config.keys()) {
      String value = config.text(key);
      if (!CONFIG_KEY.matcher(key).matches()) {
        config.keyProblem(key, "expected a config var name (letters, digits and _, not starting with a digit)");
      } else if (value != null) {
        vars.put(key, value);
      }
    }
    return vars;
  }

  private Scenario.RouterDef readRouter(Fields router) {
    String policy = router.choice("policy", RoutingPolicies.NAMES, "random");
    Duration timeout = router.value("timeout", t -> {
      Duration d = Values.positiveDuration(t);
      if (d.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException("expected at most 5m but found '" + t + "'");
      }
      return d;
    }, Duration.ofSeconds(30));
    router.rejectUnknown();
    return new Scenario.RouterDef(policy, timeout);
  }

  // --- load ---

  private List<LoadDef> readLoads(Fields top, Map<String, AppDef> apps, Duration duration) {
    List<LoadDef> loads = new ArrayList<>();
    List<YamlNode> items = top.node("load").map(n -> n instanceof YamlNode.MapNode ? List.of(n) : top.list("load")).orElse(List.of());
    double peak = 0;
    int position = -1;
    for (YamlNode item : items) {
      position++;
      if (!(item instanceof YamlNode.MapNode m)) {
        problems.add(item.location(), "load", "expected a load like {app: shop, arrivals: poisson, rate: 100/s} but found " + item.kind());
        continue;
      }
      if (loads.size() == MAX_LOADS) {
        problems.add(item.location(), "load", "expected at most " + MAX_LOADS + " loads");
        break;
      }
      Fields l = new Fields(m, "load[" + position + "]", problems);
      LoadDef def = readLoad(l, apps, duration);
      if (def != null) {
        loads.add(def);
        if (def.arrivals() instanceof Scenario.Open o) {
          peak += o.profile().stream().mapToDouble(s -> Math.max(s.from(), s.to())).max().orElse(0);
        }
      }
    }
    if (peak > MAX_RATE) {
      problems.add(top.location(), "load", "the loads together reach " + Math.round(peak) + "/s; expected at most "
          + Math.round(MAX_RATE) + "/s, what one generator in this JVM can send while it also runs the manifold");
    }
    return loads;
  }

  private LoadDef readLoad(Fields l, Map<String, AppDef> apps, Duration runLength) {
    String app = appRef(l, "app", apps);
    String arrivals = l.choice("arrivals", ARRIVALS, "poisson");
    Duration start = l.value("start", Values::duration, Duration.ZERO);
    Duration length = l.value("duration", ScenarioParser::runLength, null);
    String path = l.value("path", t -> {
      if (!t.startsWith("/") || t.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
        throw new IllegalArgumentException("expected a path starting with / (no spaces), like /orders?page=2");
      }
      return t;
    }, "/");
    List<Integer> via = new ArrayList<>();
    for (YamlNode n : l.list("via")) {
      String t = Fields.scalarText(n, l.path("via"), problems);
      Long node = t == null ? null : Fields.convert(n, l.path("via"), t, x -> Fields.integer(x, 1, MAX_NODES), null, problems);
      if (node != null) {
        via.add(node.intValue());
      }
    }
    Scenario.Arrivals a = switch (arrivals) {
      case "closed" -> readClosed(l);
      case "replay" -> readReplay(l);
      default -> readOpen(l, arrivals.equals("poisson"));
    };
    if (length == null) {
      if (a instanceof Scenario.Open o && l.has("profile")) {
        length = o.profile().stream().map(Scenario.Segment::length).reduce(Duration.ZERO, Duration::plus);
      } else if (a instanceof Scenario.Replay r && r.atNanos().length > 0) {
        length = Duration.ofNanos(r.atNanos()[r.atNanos().length - 1] + 1);
      } else if (runLength != null) {
        length = runLength.minus(start).isNegative() ? Duration.ZERO : runLength.minus(start);
      } else if (!l.has("duration")) {
        l.missing("duration", "how long the load lasts, like 60s (or a duration for the whole scenario)");
      }
    }
    l.rejectUnknown();
    if (app == null || a == null || length == null) {
      return null;
    }
    return new LoadDef(l.location(), app, a, start, length, path, via);
  }

  private Scenario.Open readOpen(Fields l, boolean poisson) {
    List<Scenario.Segment> profile = new ArrayList<>();
    boolean hasRate = l.has("rate");
    boolean hasProfile = l.has("profile");
    if (hasRate == hasProfile) {
      problems.add(l.location(), l.path("rate"), "expected one of rate (like 100/s) or profile (segments like {for: 20s, rate: 100/s..300/s})");
      return null;
    }
    if (hasRate) {
      Double r = l.value("rate", ScenarioParser::rate, null);
      return r == null ? null : new Scenario.Open(poisson, List.of(new Scenario.Segment(MAX_DURATION, r, r)));
    }
    for (YamlNode item : l.list("profile")) {
      if (!(item instanceof YamlNode.MapNode m)) {
        problems.add(item.location(), l.path("profile"), "expected a segment like {for: 60s, rate: 100/s} but found " + item.kind());
        continue;
      }
      Fields seg = new Fields(m, l.path("profile"), problems);
      Duration length = seg.value("for", Values::positiveDuration, null);
      if (length == null && !seg.has("for")) {
        seg.missing("for", "how long the segment lasts, like 60s");
      }
      double[] levels = seg.value("rate", ScenarioParser::rateRange, null);
      if (levels == null && !seg.has("rate")) {
        seg.missing("rate", "a rate like 100/s, or a ramp like 100/s..300/s");
      }
      seg.rejectUnknown();
      if (length != null && levels != null) {
        profile.add(new Scenario.Segment(length, levels[0], levels[1]));
      }
    }
    return profile.isEmpty() ? null : new Scenario.Open(poisson, profile);
  }

  private Scenario.Closed readClosed(Fields l) {
    Long users = l.integer("users", 1, MAX_USERS, null);
    if (users == null && !l.has("users")) {
      l.missing("users", "how many users send requests, like 20");
    }
    Distribution think = l.value("think", t -> Distribution.parse(t, baseDir), new Distribution.Constant(0));
    return users == null ? null : new Scenario.Closed(users.intValue(), think);
  }

  private Scenario.Replay readReplay(Fields l) {
    String file = l.text("file");
    if (file == null) {
      if (!l.has("file")) {
        l.missing("file", "a CSV file of at_ms[,service_ms] to replay");
      }
      return null;
    }
    try {
      TraceReplay trace = TraceReplay.read(baseDir == null ? Path.of(file) : baseDir.resolve(file), file);
      long[] at = new long[trace.size()];
      long[] service = new long[trace.size()];
      for (int i = 0; i < at.length; i++) {
        at[i] = trace.at(i);
        service[i] = trace.service(i);
      }
      if (at.length > MAX_RATE * MAX_DURATION.toSeconds()) {
        l.problem("file", "expected at most " + (long) (MAX_RATE * MAX_DURATION.toSeconds()) + " requests");
        return null;
      }
      return new Scenario.Replay(file, at, service);
    } catch (IllegalArgumentException e) {
      l.problem("file", e.getMessage());
      return null;
    }
  }

  static double rate(String t) {
    double r = t.strip().startsWith("0/") ? 0 : Values.rate(t);
    if (r > MAX_RATE) {
      throw new IllegalArgumentException("expected at most " + Math.round(MAX_RATE) + "/s but found '" + t + "'");
    }
    return r;
  }

  static double[] rateRange(String t) {
    Matcher m = RANGE.matcher(t.strip());
    if (m.matches()) {
      return new double[] {rate(m.group(1)), rate(m.group(2))};
    }
    double r = rate(t);
    return new double[] {r, r};
  }

  // --- faults ---

  private List<FaultDef> readFaults(Fields top, Map<String, AppDef> apps, int nodes, Duration runLength) {
    List<FaultDef> faults = new ArrayList<>();
    /** When each node is out of the cluster for good (killed or stopped without a heal), by 1-based index. */
    Map<Integer, Duration> gone = new LinkedHashMap<>();
    Duration previous = Duration.ZERO;
    int position = -1;
    for (YamlNode item : top.list("faults")) {
      position++;
      if (!(item instanceof YamlNode.MapNode m)) {
        problems.add(item.location(), "faults", "expected a fault like {at: 20s, kill-node: 2} but found " + item.kind());
        continue;
      }
      if (faults.size() == MAX_FAULTS) {
        problems.add(item.location(), "faults", "expected at most " + MAX_FAULTS + " faults");
        break;
      }
      // a fault is named by its place in the list (fault: 2 is the second), valid or not
      int index = position + 1;
      Fields f = new Fields(m, "faults[" + position + "]", problems);
      Duration at = f.value("at", Values::duration, null);
      if (at == null && !f.has("at")) {
        f.missing("at", "when the fault happens, from the start of the load, like 20s");
      }
      Duration lasts = f.value("for", Values::positiveDuration, null);
      List<String> kinds = f.keys().stream().filter(FAULT_KINDS::contains).toList();
      if (kinds.size() != 1) {
        problems.add(m.location(), "faults[" + position + "]",
            kinds.isEmpty() ? "expected one fault, one of " + String.join(", ", FAULT_KINDS)
                : "expected one fault per entry, found " + String.join(" and ", kinds));
        f.keys().forEach(f::node);
        rejectUnknownKinds(f);
        continue;
      }
      String kind = kinds.get(0);
      Scenario.Fault fault = readFault(kind, f, apps, nodes);
      rejectUnknownKinds(f);
      if (fault == null || at == null) {
        continue;
      }
      if (runLength != null && at.compareTo(runLength) >= 0) {
        f.problem("at", "the run lasts " + ScenarioText.duration(runLength) + "; a fault at " + ScenarioText.duration(at) + " would never happen");
      }
      if (at.compareTo(previous) < 0) {
        f.problem("at", "faults are listed in the order they happen; this one comes before the previous at " + ScenarioText.duration(previous));
      }
      previous = at;
      if (lasts != null && !healable(fault)) {
        f.problem("for", "a " + kind + " happens at once and has nothing to heal; drop 'for'"
            + (kind.equals("crash-dyno") ? " (or use crash-loop, which lasts)" : ""));
      }
      checkNodesAlive(f, kind, fault, at, gone);
      if ((fault instanceof Scenario.KillNode || fault instanceof Scenario.StopNode) && lasts == null) {
        int node = fault instanceof Scenario.KillNode k ? k.node() : ((Scenario.StopNode) fault).node();
        gone.put(node, at);
        if (gone.size() == nodes) {
          f.problem(kind, "this leaves no node running; keep at least one (or heal with 'for')");
        }
      }
      faults.add(new FaultDef(index, m.location(), at, lasts, fault));
    }
    return faults;
  }

  private void rejectUnknownKinds(Fields f) {
    for (String key : f.keys()) {
      if (!FAULT_KINDS.contains(key) && !key.equals("at") && !key.equals("for")) {
        String near = Fields.nearest(key, concat(FAULT_KINDS, List.of("at", "for")));
        f.keyProblem(key, "unknown field" + (near != null ? "; did you mean '" + near + "'?"
            : "; expected at, for and one of " + String.join(", ", FAULT_KINDS)));
      }
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static boolean healable(Scenario.Fault fault) {
    if (fault instanceof Scenario.DynoFault d) {
      return !(d.effect() instanceof Scenario.Crash);
    }
    return !(fault instanceof Scenario.RestartNode || fault instanceof Scenario.Scale || fault instanceof Scenario.RestartAll);
  }

  private void checkNodesAlive(Fields f, String kind, Scenario.Fault fault, Duration at, Map<Integer, Duration> gone) {
    List<Integer> named = List.of();
    if (fault instanceof Scenario.KillNode k) {
      named = List.of(k.node());
    } else if (fault instanceof Scenario.StopNode st) {
      named = List.of(st.node());
    } else if (fault instanceof Scenario.RestartNode r) {
      named = List.of(r.node());
    } else if (fault instanceof Scenario.Partition p) {
      named = new ArrayList<>(p.side());
      named.addAll(p.other());
    } else if (fault instanceof Scenario.LinkLatency l) {
      named = new ArrayList<>(l.side());
      named.addAll(l.other());
    }
    for (int node : named) {
      if (gone.containsKey(node)) {
        f.problem(kind, "node " + node + " is gone by then (it left at " + ScenarioText.duration(gone.get(node))
            + " and nothing brought it back; give that fault a 'for' to have a new node take its place)");
      }
    }
  }

  private Scenario.Fault readFault(String kind, Fields f, Map<String, AppDef> apps, int nodes) {
    return switch (kind) {
      case "kill-node" -> mapOrNull(nodeNumber(f, kind, nodes), Scenario.KillNode::new);
      case "stop-node" -> mapOrNull(nodeNumber(f, kind, nodes), Scenario.StopNode::new);
      case "restart-node" -> readRestartNode(f, nodes);
      case "partition" -> readPartition(f, nodes);
      case "link-latency" -> readLinkLatency(f, nodes);
      case "scale" -> readScale(f, apps);
      case "restart-all" -> mapOrNull(appOrMap(f, kind, apps), Scenario.RestartAll::new);
      case "maintenance" -> mapOrNull(appOrMap(f, kind, apps), Scenario.Maintenance::new);
      case "config" -> readConfigChange(f, apps);
      default -> readDynoFault(kind, f, apps);
    };
  }

  private static <T, R> R mapOrNull(T value, java.util.function.Function<T, R> f) {
    return value == null ? null : f.apply(value);
  }

  private Integer nodeNumber(Fields f, String kind, int nodes) {
    Long n = f.integer(kind, 1, nodes, null);
    return n == null ? null : n.intValue();
  }

  private Scenario.Fault readRestartNode(Fields f, int nodes) {
    if (f.node("restart-node").orElse(null) instanceof YamlNode.MapNode) {
      Fields r = f.map("restart-node");
      Long node = r.integer("node", 1, nodes, null);
      if (node == null && !r.has("node")) {
        r.missing("node", "the node to restart, 1 to " + nodes);
      }
      boolean graceful = r.value("graceful", Values::bool, false);
      r.rejectUnknown();
      return node == null ? null : new Scenario.RestartNode(node.intValue(), graceful);
    }
    Integer n = nodeNumber(f, "restart-node", nodes);
    return n == null ? null : new Scenario.RestartNode(n, false);
  }

  private Scenario.Fault readPartition(Fields f, int nodes) {
    Fields p = f.map("partition");
    List<List<Integer>> sides = readSides(p, nodes);
    boolean oneWay = p.value("one-way", Values::bool, false);
    p.rejectUnknown();
    return sides == null ? null : new Scenario.Partition(sides.get(0), sides.get(1), oneWay);
  }

  private Scenario.Fault readLinkLatency(Fields f, int nodes) {
    Fields l = f.map("link-latency");
    List<List<Integer>> sides = readSides(l, nodes);
    Duration latency = required(l, "latency", t -> {
      Duration d = Values.positiveDuration(t);
      if (d.compareTo(MAX_LINK_LATENCY) > 0) {
        throw new IllegalArgumentException("expected at most " + ScenarioText.duration(MAX_LINK_LATENCY) + " but found '" + t + "'");
      }
      return d;
    }, "the delay added to each link between the sides, each way, like 200ms");
    Duration jitter = l.value("jitter", Values::duration, Duration.ZERO);
    l.rejectUnknown();
    if (latency != null && jitter != null && jitter.compareTo(latency) > 0) {
      l.problem("jitter", "expected at most the latency (" + ScenarioText.duration(latency) + "): a link's delay never goes below 0");
      return null;
    }
    return sides == null || latency == null || jitter == null ? null : new Scenario.LinkLatency(sides.get(0), sides.get(1), latency, jitter);
  }

  /** {@code sides: [[1], [2, 3]]}, or one side and the rest; null when they are not two sides of distinct nodes. */
  private List<List<Integer>> readSides(Fields p, int nodes) {
    List<List<Integer>> sides = new ArrayList<>();
    for (YamlNode side : p.list("sides")) {
      List<Integer> members = new ArrayList<>();
      List<YamlNode> items = side instanceof YamlNode.ListNode l ? l.items() : List.of(side);
      for (YamlNode n : items) {
        String t = Fields.scalarText(n, p.path("sides"), problems);
        Long node = t == null ? null : Fields.convert(n, p.path("sides"), t, x -> Fields.integer(x, 1, nodes), null, problems);
        if (node != null) {
          members.add(node.intValue());
        }
      }
      sides.add(members);
    }
    if (!p.has("sides")) {
      p.missing("sides", "the two sides, like [[1], [2, 3]]");
      return null;
    }
    if (sides.size() == 1) {
      List<Integer> rest = new ArrayList<>();
      for (int i = 1; i <= nodes; i++) {
        if (!sides.get(0).contains(i)) {
          rest.add(i);
        }
      }
      sides.add(rest);
    }
    if (sides.size() != 2 || sides.get(0).isEmpty() || sides.get(1).isEmpty()) {
      p.problem("sides", "expected two sides with at least one node each, like [[1], [2, 3]] (or one side, the other being the rest)");
      return null;
    }
    Set<Integer> seen = new HashSet<>();
    for (List<Integer> side : sides) {
      for (int n : side) {
        if (!seen.add(n)) {
          p.problem("sides", "node " + n + " is on both sides");
          return null;
        }
      }
    }
    return List.of(List.copyOf(sides.get(0)), List.copyOf(sides.get(1)));
  }

  private Scenario.Fault readScale(Fields f, Map<String, AppDef> apps) {
    Fields s = f.map("scale");
    String app = appRef(s, "app", apps);
    Map<String, Integer> quantities = new LinkedHashMap<>();
    for (String type : s.keys()) {
      if (type.equals("app")) {
        continue;
      }
      Long q = s.integer(type, 0, MAX_DYNOS_PER_TYPE, null);
      if (q != null) {
        quantities.put(type, q.intValue());
      }
    }
    if (quantities.isEmpty()) {
      problems.add(s.location(), f.path("scale"), "expected the new quantities, like {app: shop, web: 3}");
    }
    return app == null || quantities.isEmpty() ? null : new Scenario.Scale(app, quantities);
  }

  private Scenario.Fault readConfigChange(Fields f, Map<String, AppDef> apps) {
    Fields c = f.map("config");
    String app = appRef(c, "app", apps);
    Map<String, String> set = readConfig(c.map("set"));
    if (!c.has("set") || set.isEmpty()) {
      c.missing("set", "the config vars to set, like {SYNTHETIC_SERVICE: constant(100ms)}");
    }
    c.rejectUnknown();
    return app == null || set.isEmpty() ? null : new Scenario.ConfigChange(app, set);
  }

  /** {@code restart-all: shop} or {@code restart-all: {app: shop}}. */
  private String appOrMap(Fields f, String kind, Map<String, AppDef> apps) {
    if (f.node(kind).orElse(null) instanceof YamlNode.MapNode) {
      Fields m = f.map(kind);
      String app = appRef(m, "app", apps);
      m.rejectUnknown();
      return app;
    }
    return appRef(f, kind, apps);
  }

  private Scenario.Fault readDynoFault(String kind, Fields f, Map<String, AppDef> apps) {
    Fields s = f.map(kind);
    String app = appRef(s, "app", apps);
    String dyno = s.text("dyno");
    String type = s.text("type");
    Long count = s.integer("count", 1, MAX_DYNOS_PER_TYPE, null);
    Double percent = s.value("percent", Values::share, null);
    Scenario.DynoEffect effect = switch (kind) {
      case "crash-dyno" -> new Scenario.Crash();
      case "crash-loop" -> new Scenario.CrashLoop();
      case "hang-dyno" -> new Scenario.Hang();
      case "slow-dyno" -> mapOrNull(required(s, "latency", Values::positiveDuration, "the added latency, like 500ms"), Scenario.Slow::new);
      case "error-dyno" -> mapOrNull(required(s, "share", Values::share, "the share of answers that are 500s, like 20%"), Scenario.Errors::new);
      case "memory-leak" -> mapOrNull(required(s, "per-request", Values::bytes, "how much memory each request leaks, like 5MB"), Scenario.Leak::new);
      default -> throw new IllegalStateException(kind);
    };
    s.rejectUnknown();
    AppDef def = app == null ? null : apps.get(app);
    if ((dyno == null) == (type == null)) {
      problems.add(s.location(), f.path(kind), "expected either dyno (like web.3) or type (like web, with count or percent)");
      return null;
    }
    if (dyno != null && (count != null || percent != null)) {
      problems.add(s.location(), f.path(kind), "count and percent choose among the dynos of a type; with dyno, drop them");
    }
    if (count != null && percent != null) {
      problems.add(s.location(), f.path(kind), "expected count or percent, not both");
    }
    if (def != null) {
      if (dyno != null) {
        DynoName name = DynoName.parseOrNull(dyno);
        if (name == null || name.type().equals(DynoName.ONE_OFF)) {
          s.problem("dyno", "expected a dyno name like web.3, but found '" + dyno + "'");
        } else if (!def.formation().containsKey(name.type())) {
          s.problem("dyno", "app " + app + " has no process type '" + name.type() + "' (its formation: " + def.formation().keySet() + ")");
        }
      } else if (!def.formation().containsKey(type)) {
        s.problem("type", "app " + app + " has no process type '" + type + "' (its formation: " + def.formation().keySet() + ")");
      }
      if (!def.synthetic() && !(effect instanceof Scenario.Crash || effect instanceof Scenario.Hang)) {
        problems.add(s.location(), f.path(kind), "a " + kind + " needs a synthetic app; " + app
            + " runs real processes, where crash-dyno and hang-dyno work");
      }
    }
    if (app == null || effect == null) {
      return null;
    }
    return new Scenario.DynoFault(effect, new Scenario.Selector(app, dyno, type, count == null ? null : count.intValue(), percent));
  }

  private <T> T required(Fields s, String key, java.util.function.Function<String, T> parse, String expected) {
    T v = s.value(key, parse, null);
    if (v == null && !s.has(key)) {
      s.missing(key, expected);
    }
    return v;
  }

  private String appRef(Fields f, String key, Map<String, AppDef> apps) {
    String app = f.text(key);
    if (app == null) {
      if (!f.has(key)) {
        f.missing(key, "the app, one of " + String.join(", ", apps.keySet()));
      }
      return null;
    }
    if (!apps.containsKey(app)) {
      String near = Fields.nearest(app, apps.keySet());
      f.problem(key, "no app '" + app + "' in this scenario" + (near != null ? "; did you mean '" + near + "'?"
          : "; expected one of " + String.join(", ", apps.keySet())));
      return null;
    }
    return app;
  }

  // --- expectations ---

  private List<Expectation> readExpectations(Fields top, String key, List<FaultDef> faults, Map<String, AppDef> apps, boolean abort) {
    List<Expectation> result = new ArrayList<>();
    List<String> metrics = Arrays.stream(Metric.values()).map(m -> m.name).toList();
    int position = -1;
    for (YamlNode item : top.list(key)) {
      position++;
      String at = key + "[" + position + "]";
      if (!(item instanceof YamlNode.MapNode m)) {
        problems.add(item.location(), at, "expected something like {metric: error-rate, below: 2%} but found " + item.kind());
        continue;
      }
      if (result.size() == MAX_EXPECTATIONS) {
        problems.add(item.location(), key, "expected at most " + MAX_EXPECTATIONS);
        break;
      }
      Fields e = new Fields(m, at, problems);
      Metric metric = e.value("metric", t -> {
        Metric found = Metric.named(t);
        if (found == null) {
          String near = Fields.nearest(t, metrics);
          throw new IllegalArgumentException("unknown metric '" + t + "'" + (near != null ? "; did you mean '" + near + "'?"
              : "; expected one of " + String.join(", ", metrics)));
        }
        return found;
      }, null);
      if (metric == null && !e.has("metric")) {
        e.missing("metric", "one of " + String.join(", ", metrics));
      }
      Integer fault = e.value("fault", t -> {
        long n = Fields.integer(t, 1, Math.max(1, faults.size()));
        if (faults.isEmpty()) {
          throw new IllegalArgumentException("this scenario has no faults");
        }
        return (int) n;
      }, null);
      String code = e.value("code", t -> {
        if (!H_CODE.matcher(t.strip()).matches()) {
          throw new IllegalArgumentException("expected an H-code like H12 or an HTTP status like 503, but found '" + t + "'");
        }
        return t.strip();
      }, null);
      Window window = readWindow(e, fault, abort);
      String app = e.has("app") ? appRef(e, "app", apps) : null;
      boolean below = e.has("below");
      boolean above = e.has("above");
      Double bound = null;
      if (below == above) {
        problems.add(m.location(), at, "expected one of below or above" + (abort ? " (the run stops when the metric goes there)" : ""));
      } else if (metric != null) {
        bound = e.value(below ? "below" : "above", t -> boundValue(metric, t), null);
      }
      e.rejectUnknown();
      if (metric == Metric.RESPONSES && code == null && !e.has("code")) {
        e.missing("code", "the H-code or HTTP status to count, like H12 or 503");
      } else if (metric != null && metric != Metric.RESPONSES && e.has("code")) {
        e.problem("code", "code is for metric: responses");
      }
      if (app != null && (metric == Metric.RECOVERY_TIME || metric == Metric.LOG_LINES_DROPPED)) {
        e.problem("app", metric.name + " is about every app at once; drop app");
      }
      if (metric == Metric.RECOVERY_TIME && fault == null && !e.has("fault")) {
        e.missing("fault", "the fault (1-based, in the order of faults) whose recovery is timed");
      }
      if (metric == Metric.RECOVERY_TIME && abort) {
        e.problem("metric", "recovery-time is known only once the formation is whole again; it cannot stop a run");
      }
      if (metric == Metric.LOG_LINES_DROPPED && window != null && window.kind() != Window.Kind.WHOLE) {
        e.problem("metric", "log-lines-dropped is counted over the whole run only");
      }
      if (metric != null && window != null && bound != null) {
        result.add(new Expectation(position + 1, m.location(), metric, window, new Scenario.Bound(below, bound), code, fault, app));
      }
    }
    return result;
  }

  private Window readWindow(Fields e, Integer fault, boolean abort) {
    if (abort) {
      Duration over = e.value("over", Values::positiveDuration, Duration.ofSeconds(10));
      return new Window(Window.Kind.LAST, null, null, over);
    }
    boolean range = e.has("from") || e.has("to");
    String during = e.choice("during", WINDOWS, null);
    if (range && during != null) {
      e.problem("during", "expected during or from/to, not both");
      return null;
    }
    if (range) {
      Duration from = e.value("from", Values::duration, Duration.ZERO);
      Duration to = e.value("to", Values::positiveDuration, null);
      if (to == null && !e.has("to")) {
        e.missing("to", "the end of the window, like 30s");
        return null;
      }
      if (from == null || to == null) {
        return null;
      }
      if (to.compareTo(from) <= 0) {
        e.problem("to", "the window ends before it starts (from " + ScenarioText.duration(from) + ")");
        return null;
      }
      return new Window(Window.Kind.RANGE, null, from, to);
    }
    if (during == null) {
      return Window.WHOLE;
    }
    return switch (during) {
      case "before" -> new Window(Window.Kind.BEFORE, null, null, null);
      case "fault" -> {
        if (fault == null && !e.has("fault")) {
          e.missing("fault", "the fault (1-based) during which the metric is measured");
        }
        yield new Window(Window.Kind.DURING, fault, null, null);
      }
      case "after-recovery" -> new Window(Window.Kind.AFTER_RECOVERY, fault, null, null);
      default -> Window.WHOLE;
    };
  }

  static double boundValue(Metric metric, String t) {
    return switch (metric.unit) {
      case SHARE -> Values.share(t);
      case TIME -> Values.duration(t).toNanos();
      case RATE -> Values.rate(t);
      case COUNT -> {
        try {
          double v = Double.parseDouble(t.strip().replace("_", ""));
          if (!(v >= 0) || Double.isInfinite(v)) {
            throw new NumberFormatException();
          }
          yield v;
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("expected a count like 1 or 100 but found '" + t + "'");
        }
      }
    };
  }
}
