package io.manifold.scenarios.chaos.run;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.manifold.cluster.LocalManifold;
import io.manifold.cluster.ManifoldNode;
import io.manifold.core.app.AppHandle;
import io.manifold.core.dyno.DynoRuntime;
import io.manifold.scenarios.chaos.Scenario;
import io.manifold.scenarios.chaos.ScenarioResult;
import io.manifold.scenarios.chaos.ScenarioText;
import io.manifold.sim.live.LiveSyntheticRuntime;
import io.manifold.sim.live.RuntimeSwitch;
import io.manifold.sim.live.SyntheticFaults;
import io.manifold.sim.random.RandomStreams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one scenario: starts a manifold of the scenario's nodes in this JVM (real Artery on
 * 127.0.0.1, a throw-away H2 journal), creates its apps and waits until their formations are up,
 * then starts the load (t = 0), fires the faults at their times, watches the formations, checks
 * the abort conditions every second, and at the end waits for the last answers, heals every
 * fault, stops the manifold and judges the expectations.
 *
 * <p>Whatever happens (an abort, an exception, {@link #cancel()} from Ctrl-C), the faults are
 * healed and every dyno is stopped before {@link #run} returns.
 */
public final class ScenarioRunner {
  /** How long apps get to be up before t = 0, on top of their boot time. */
  static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(120);
  /** Unmeasured requests to every app through every router before t = 0, in rounds of one each. */
  static final int WARM_UP_ROUNDS = 30;

  /** What the runner tells while it runs: one line per event, and the live state each second. */
  public interface Listener {
    void line(String text);

    default void live(LiveState state) {}
  }

  /**
   * The run now, for the console's live view and progress lines.
   *
   * @param points one per finished second: t, requests, errors, p50/p99 in ms, errors by code
   */
  public record LiveState(
      String state, double elapsedSeconds, double durationSeconds, List<ScenarioResult.Point> points,
      List<FaultInjector.FaultRecord> faults, Map<Integer, String> expectations) {

    /**
     * A fault as readers outside the runner see it (the console's live.json): times in seconds
     * since t = 0, NaN until it fired or was healed; {@code problem} null when there is none.
     */
    public record FaultView(int index, String kind, String describe, String target, double firedSeconds, double healedSeconds,
        String problem) {}

    /** The faults, without the injector's bookkeeping (which stays private to this package). */
    public List<FaultView> faultViews() {
      List<FaultView> views = new ArrayList<>(faults.size());
      for (FaultInjector.FaultRecord r : faults) {
        views.add(new FaultView(r.def.index(), r.def.fault().kind(), r.def.describe(), r.target,
            r.firedNanos < 0 ? Double.NaN : r.firedNanos / 1e9, r.healedNanos < 0 ? Double.NaN : r.healedNanos / 1e9, r.problem));
      }
      return views;
    }
  }

  private final Scenario scenario;
  private final Listener listener;
  private final RandomStreams streams;
  private final CountDownLatch finished = new CountDownLatch(1);
  /** The synthetic dynos' faults, shared by every node's synthetic runtime. */
  private final SyntheticFaults syntheticFaultTable = new SyntheticFaults();
  private final SyntheticDynoFaults syntheticFaults = new SyntheticDynoFaults(syntheticFaultTable);
  private volatile boolean cancelled;
  private volatile String consoleUrl;

  private final Path reportsDir;
  private final Settings settings;

  /**
   * How the runner's manifold is set up beyond the scenario: Manifold config over the runner's
   * own (a shorter memory check, say, in tests), and how long apps get to be up before t = 0.
   */
  public record Settings(Map<String, Object> config, Duration formationTimeout) {
    public static final Settings DEFAULT = new Settings(Map.of(), FORMATION_TIMEOUT);

    public Settings {
      config = Map.copyOf(config);
    }
  }

  public ScenarioRunner(Scenario scenario, Listener listener) {
    this(scenario, listener, null);
  }

  /**
   * @param reportsDir where runs' report directories are, for the run's own web console to list
   *     them and show this one live; null for none
   */
  public ScenarioRunner(Scenario scenario, Listener listener, Path reportsDir) {
    this(scenario, listener, reportsDir, Settings.DEFAULT);
  }

  public ScenarioRunner(Scenario scenario, Listener listener, Path reportsDir, Settings settings) {
    this.settings = settings;
    this.scenario = scenario;
    this.listener = listener;
    this.reportsDir = reportsDir;
    this.streams = new RandomStreams(scenario.seed());
  }

  /** Stops the run early (Ctrl-C); {@link #run} still heals and cleans up, and this waits for it (bounded). */
  public void cancel() {
    cancelled = true;
    try {
      finished.await(120, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public ScenarioResult run() {
    Instant startedAt = Instant.now();
    Path work = null;
    LocalManifold manifold = null;
    DynoFaultTable table = null;
    LoadGenerator load = null;
    FormationWatch watch = null;
    FaultInjector faults = null;
    long quietUntil = scenario.faults().isEmpty() ? scenario.duration().toNanos() : scenario.faults().get(0).at().toNanos();
    Timelines timelines = new Timelines(scenario.duration().toNanos(), quietUntil, scenario.apps().keySet());
    Timeline timeline = timelines.all();
    LogCounts logs = new LogCounts();
    String problem = null;
    String abortedBy = null;
    double abortedAt = Double.NaN;
    try {
      work = Files.createTempDirectory("manifold-scenario-");
      table = new DynoFaultTable(syntheticFaults, app -> scenario.apps().containsKey(app) && scenario.apps().get(app).synthetic());
      listener.line("Starting " + scenario.nodes() + (scenario.nodes() == 1 ? " node" : " nodes") + " on 127.0.0.1 ...");
      manifold = LocalManifold.start(config(work), runtimes(table));
      consoleUrl = manifold.apiUrl() + "/";
      listener.line("Web console on " + consoleUrl + " (token " + manifold.token() + ")");
      ScenarioCluster cluster = new ScenarioCluster(manifold);
      for (Scenario.AppDef app : scenario.apps().values()) {
        AppHandle h = manifold.createApp(app.name(), appDir(work, app), app.configVars(), app.formation());
        cluster.app(app.name(), h.id());
      }
      long[] zero = {System.nanoTime()};
      watch = new FormationWatch(cluster, new ArrayList<>(scenario.apps().keySet()), () -> System.nanoTime() - zero[0]);
      awaitFormations(watch);
      if (cancelled) {
        throw new Cancelled();
      }
      load = new LoadGenerator(scenario, timelines, cluster::routerPort, streams, "localhost");
      LoadGenerator running = load;
      faults = new FaultInjector(scenario, cluster, table, streams, load::nanosSinceStart, "scenario@manifold.local", this::faultChanged);
      List<Integer> ports = new ArrayList<>();
      for (int i : cluster.running()) {
        ports.add(manifold.node(i).routerPort());
      }
      load.warmUp(scenario.apps().keySet(), ports, WARM_UP_ROUNDS, Duration.ofSeconds(20));
      listener.line("Formations up. Load starts (t = 0); the run lasts " + ScenarioText.duration(scenario.duration()) + ".");
      load.start();
      zero[0] = System.nanoTime() - load.nanosSinceStart();
      FaultInjector injector = faults;
      FormationWatch w = watch;
      watch.start();
      faults.start();
      long end = scenario.duration().toNanos();
      int second = 0;
      while (running.nanosSinceStart() < end && !cancelled) {
        long next = (second + 1) * 1_000_000_000L;
        long wait = Math.min(next, end) - running.nanosSinceStart();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(Math.min(wait, 1_000_000_000L));
        }
        if (running.nanosSinceStart() < next && running.nanosSinceStart() < end) {
          continue;
        }
        second++;
        FormationWatch.Sample latest = w.latest();
        if (latest != null) {
          injector.seen(latest);
        }
        logs.read(manifold);
        Verdicts.Facts facts = facts(timelines, running, injector, w, logs);
        progress(second, running, latest);
        LiveState state = live("running", running, timeline, injector, w, facts);
        listener.live(state);
        tellFailures(state, facts, running.elapsedSeconds());
        for (Scenario.Expectation a : scenario.abort()) {
          if (Verdicts.holds(a, facts)) {
            abortedBy = a.describe();
            abortedAt = running.elapsedSeconds();
            break;
          }
        }
        if (abortedBy != null) {
          listener.line(String.format(Locale.ROOT, "%5.1fs  abort: %s", abortedAt, abortedBy));
          break;
        }
      }
      load.stopSending();
      if (cancelled) {
        problem = "cancelled";
      }
      listener.line("Load over; waiting for the last answers (at most " + ScenarioText.duration(scenario.router().timeout().plus(LoadGenerator.ANSWER_MARGIN)) + ") ...");
      // a cancelled run (Ctrl-C) does not wait for its last answers: the person wants it to stop
      load.awaitAnswers(cancelled ? Duration.ofSeconds(2) : scenario.router().timeout().plus(LoadGenerator.ANSWER_MARGIN).plusSeconds(1));
    } catch (Cancelled e) {
      problem = "cancelled";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problem = "interrupted";
    } catch (RuntimeException | IOException e) {
      problem = e.getMessage() == null ? e.toString() : e.getMessage();
    } finally {
      if (faults != null) {
        faults.healAll();
      }
      if (watch != null) {
        watch.stop();
      }
      if (manifold != null) {
        logs.read(manifold);
      }
      syntheticFaults.healAll();
      if (table != null) {
        table.close();
      }
      if (load != null) {
        load.close();
      }
      if (manifold != null) {
        listener.line("Stopping the manifold ...");
        manifold.close();
      }
      delete(work);
    }
    ScenarioResult result = result(startedAt, timelines, load, faults, watch, logs, problem, abortedBy, abortedAt);
    finished.countDown();
    return result;
  }

  private static final class Cancelled extends RuntimeException {
    Cancelled() {
      super("cancelled", null, false, false);
    }
  }

  private void faultChanged(FaultInjector.FaultRecord r) {
    boolean healed = r.healedNanos >= 0;
    double t = (healed ? r.healedNanos : r.firedNanos) / 1e9;
    String what = healed ? "healed fault " + r.def.index() + ": " + r.def.fault().describe()
        : "fault " + r.def.index() + ": " + r.def.fault().describe() + (r.target.isEmpty() ? "" : " (" + r.target + ")");
    listener.line(String.format(Locale.ROOT, "%5.1fs  %s%s", t, what, r.problem == null ? "" : "  [" + r.problem + "]"));
  }

  private void awaitFormations(FormationWatch watch) throws InterruptedException {
    long deadline = System.nanoTime() + settings.formationTimeout().toNanos();
    FormationWatch.Sample s = watch.sample();
    while (!s.whole()) {
      if (System.nanoTime() > deadline || cancelled) {
        StringBuilder b = new StringBuilder("the apps' formations were not up within " + settings.formationTimeout().toSeconds() + " s:");
        s.apps().forEach((app, a) -> b.append(' ').append(app).append(' ').append(a.upCount()).append('/').append(a.wantedCount()).append(" up"));
        if (cancelled) {
          throw new Cancelled();
        }
        throw new IllegalStateException(b.toString());
      }
      Thread.sleep(FormationWatch.EVERY_MILLIS);
      s = watch.sample();
    }
  }

  private void progress(int second, LoadGenerator load, FormationWatch.Sample latest) {
    int up = 0;
    int wanted = 0;
    if (latest != null) {
      for (FormationWatch.AppSample a : latest.apps().values()) {
        up += a.upCount();
        wanted += a.wantedCount();
      }
    }
    if (second % 5 == 0 || second == 1) {
      long ended = load.ended();
      listener.line(String.format(Locale.ROOT, "%5ds  sent %d  answered %d  errors %d (%s)  open %d  dynos up %d/%d",
          second, load.sent(), ended, load.errors(), ended == 0 ? "-" : ScenarioText.percent((double) load.errors() / ended),
          load.openNow(), up, wanted));
    }
  }

  /** Expectations that can no longer be met, said once, as soon as that is known. */
  private final java.util.Set<Integer> toldFailed = new java.util.HashSet<>();

  private void tellFailures(LiveState state, Verdicts.Facts facts, double elapsed) {
    for (Scenario.Expectation e : scenario.expectations()) {
      if ("failed".equals(state.expectations().get(e.index())) && toldFailed.add(e.index())) {
        listener.line(String.format(Locale.ROOT, "%5.1fs  expectation %d not met: %s (measured %s)", elapsed, e.index(), e.describe(),
            ScenarioText.value(e.metric().unit, Verdicts.measure(e, facts))));
      }
    }
  }

  private Verdicts.Facts facts(Timelines timelines, LoadGenerator load, FaultInjector faults, FormationWatch watch, LogCounts logs) {
    List<FaultInjector.FaultRecord> records = faults == null ? List.of() : faults.records();
    long[] fired = new long[records.size()];
    for (int i = 0; i < fired.length; i++) {
      fired[i] = records.get(i).firedNanos;
    }
    double[] recovery = watch == null ? nans(records.size()) : Recoveries.of(records, watch.samples());
    long now = load == null ? 0 : load.nanosSinceStart();
    return new Verdicts.Facts(timelines, scenario, now, fired, recovery, logs.dropped());
  }

  private static double[] nans(int n) {
    double[] d = new double[n];
    java.util.Arrays.fill(d, Double.NaN);
    return d;
  }

  private LiveState live(String state, LoadGenerator load, Timeline timeline, FaultInjector faults, FormationWatch watch, Verdicts.Facts facts) {
    Map<Integer, String> expectations = new LinkedHashMap<>();
    for (Scenario.Expectation e : scenario.expectations()) {
      expectations.put(e.index(), Verdicts.provisional(e, facts));
    }
    int done = (int) Math.min(timeline.size(), load.nanosSinceStart() / timeline.bucketNanos());
    return new LiveState(state, load.elapsedSeconds(), scenario.duration().toSeconds(), series(timeline, watch, done),
        faults.records(), expectations);
  }

  /** One point per bucket up to {@code upTo} (exclusive). */
  private static List<ScenarioResult.Point> series(Timeline timeline, FormationWatch watch, int upTo) {
    List<FormationWatch.Sample> samples = watch == null ? List.of() : watch.samples();
    List<ScenarioResult.Point> points = new ArrayList<>();
    int si = 0;
    for (int i = 0; i < upTo; i++) {
      Timeline.Slice s = timeline.bucket(i);
      Map<String, Long> errorsByCode = new java.util.TreeMap<>();
      s.codes().forEach((code, n) -> {
        if (!code.matches("[1-4][0-9][0-9]")) {
          errorsByCode.put(code, n);
        }
      });
      long bucketEnd = (i + 1) * timeline.bucketNanos();
      while (si + 1 < samples.size() && samples.get(si + 1).atNanos() <= bucketEnd) {
        si++;
      }
      int up = 0;
      int wanted = 0;
      if (!samples.isEmpty() && samples.get(si).atNanos() <= bucketEnd) {
        for (FormationWatch.AppSample a : samples.get(si).apps().values()) {
          up += a.upCount();
          wanted += a.wantedCount();
        }
      }
      double seconds = timeline.bucketNanos() / 1e9;
      points.add(new ScenarioResult.Point(i * seconds, s.requests(), s.errors(), (s.requests() - s.errors()) / seconds,
          s.latency(50) / 1e6, s.latency(99) / 1e6, s.maxLatency() / 1e6, errorsByCode, up, wanted));
    }
    return points;
  }

  private ScenarioResult result(Instant startedAt, Timelines timelines, LoadGenerator load, FaultInjector faults,
      FormationWatch watch, LogCounts logs, String problem, String abortedBy, double abortedAt) {
    // a run that failed before its faults were scheduled still judges them: none fired
    List<FaultInjector.FaultRecord> records = faults != null ? faults.records()
        : scenario.faults().stream().map(FaultInjector.FaultRecord::new).toList();
    Timeline timeline = timelines.all();
    Verdicts.Facts facts = new Verdicts.Facts(timelines, scenario, load == null ? 0 : load.nanosSinceStart(), firedOf(records),
        watch == null ? nans(records.size()) : Recoveries.of(records, watch.samples()), logs.dropped());
    // the run was judged on what happened until it stopped
    if (abortedBy != null) {
      facts = new Verdicts.Facts(timelines, scenario, (long) (abortedAt * 1e9), facts.firedNanos(), facts.recoveryNanos(), facts.logLinesDropped());
    }
    List<ScenarioResult.ExpectationResult> verdicts = new ArrayList<>();
    for (Scenario.Expectation e : scenario.expectations()) {
      verdicts.add(Verdicts.judge(e, facts));
    }
    List<ScenarioResult.FaultResult> faultResults = new ArrayList<>();
    List<FormationWatch.Sample> samples = watch == null ? List.of() : watch.samples();
    for (int i = 0; i < records.size(); i++) {
      FaultInjector.FaultRecord r = records.get(i);
      boolean node = Recoveries.nodeFault(r.def.fault());
      double fired = r.firedNanos;
      faultResults.add(new ScenarioResult.FaultResult(r.def.index(), r.def.fault().kind(), r.def.describe(), r.target,
          r.firedNanos < 0 ? Double.NaN : fired / 1e9, r.healedNanos < 0 ? Double.NaN : r.healedNanos / 1e9,
          facts.recoveryNanos()[i] / 1e9,
          node && r.unreachableNanos >= 0 ? (r.unreachableNanos - fired) / 1e9 : Double.NaN,
          node && r.removedNanos >= 0 ? (r.removedNanos - fired) / 1e9 : Double.NaN,
          node ? Recoveries.replacement(r, samples, r.target) / 1e9 : Double.NaN,
          r.lostDynos, r.problem == null ? (r.firedNanos < 0 ? "did not fire (the run ended first)" : "") : r.problem));
    }
    long end = facts.nowNanos();
    Timeline.Slice all = timeline.slice(0, Math.max(end, 1));
    ScenarioResult.Totals totals = new ScenarioResult.Totals(all.requests(), all.count(Timeline.Kind.OK), all.errors(),
        all.count(Timeline.Kind.LOST), all.count(Timeline.Kind.NOT_SENT), all.count(Timeline.Kind.CONNECTION_ERROR), all.errorRate(),
        all.latency(50) / 1e6, all.latency(90) / 1e6, all.latency(99) / 1e6, all.latency(99.9) / 1e6, all.maxLatency() / 1e6,
        all.codes(), logs.published(), logs.dropped());
    int buckets = (int) Math.min(timeline.size(), (end + timeline.bucketNanos() - 1) / timeline.bucketNanos());
    String outcome;
    if (problem != null) {
      outcome = ScenarioResult.ERROR;
    } else if (abortedBy != null || verdicts.stream().anyMatch(v -> !v.met())) {
      outcome = ScenarioResult.FAILED;
    } else {
      outcome = ScenarioResult.PASSED;
    }
    String version = ScenarioRunner.class.getPackage().getImplementationVersion();
    return new ScenarioResult(scenario, scenario.seed(), version == null ? "development build" : version, startedAt, Instant.now(),
        outcome, problem, abortedBy, abortedAt, verdicts, faultResults, totals, series(timeline, watch, buckets),
        load == null ? "" : load.inputsDigest() + faultsDigest(faultResults), load == null ? 0 : load.sent() + load.notSent(),
        load == null ? Double.NaN : load.maxLateness().toNanos() / 1e6, consoleUrl);
  }

  private static long[] firedOf(List<FaultInjector.FaultRecord> records) {
    long[] fired = new long[records.size()];
    for (int i = 0; i < fired.length; i++) {
      fired[i] = records.get(i).firedNanos;
    }
    return fired;
  }

  /** The dynos each fault chose, so that the inputs digest covers the faults' draws too. */
  private static String faultsDigest(List<ScenarioResult.FaultResult> faults) {
    if (faults.isEmpty()) {
      return "";
    }
    int h = 17;
    for (ScenarioResult.FaultResult f : faults) {
      h = 31 * h + f.target().hashCode();
    }
    return "-" + Integer.toHexString(h);
  }

  // --- the manifold ---

  private Config config(Path work) {
    Map<String, Object> c = new HashMap<>();
    c.put("manifold.nodes", scenario.nodes());
    c.put("manifold.data-dir", work.resolve("data").toString());
    c.put("manifold.db.url", "");
    c.put("manifold.router.port", 0);
    c.put("manifold.api.port", 0);
    c.put("manifold.router.policy", scenario.router().policy());
    c.put("manifold.router.request-timeout", scenario.router().timeout().toMillis() + "ms");
    c.put("manifold.router.seed", Long.toString(streams.seedFor("router")));
    c.put("manifold.user", "scenario@manifold.local");
    // link proxies only when a fault slows links: they are in the way of every cluster message
    c.put("manifold.cluster.link-proxies", scenario.faults().stream().anyMatch(f -> f.fault() instanceof Scenario.LinkLatency));
    // the cluster's warnings (unreachable nodes, downing) are what a scenario provokes; its
    // progress lines and report say what happened. MANIFOLD_SCENARIO_LOGS=1 shows them.
    c.put("pekko.loglevel", System.getenv("MANIFOLD_SCENARIO_LOGS") != null ? "INFO" : "ERROR");
    if (reportsDir != null) {
      c.put("manifold.scenarios.reports-dir", reportsDir.toString());
    }
    c.putAll(settings.config());
    scenario.apps().values().forEach(app -> {
      if (app.policy() != null) {
        c.put("manifold.router.app-policies.\"" + app.name() + "\"", app.policy());
      }
    });
    return ConfigFactory.parseMap(c);
  }

  /** Each node's dynos: through the fault table, so the runner can reach them. */
  private ManifoldNode.Runtimes runtimes(DynoFaultTable table) {
    return (node, processes) -> table.wrap(synthetic(node, processes));
  }

  /** Synthetic apps ({@code web: synthetic}) run on the sim's live runtime; everything else as processes. */
  private DynoRuntime synthetic(String node, DynoRuntime processes) {
    return new RuntimeSwitch(new LiveSyntheticRuntime(syntheticFaultTable), processes);
  }

  private static Path appDir(Path work, Scenario.AppDef app) throws IOException {
    if (!app.synthetic()) {
      return app.procfileDir();
    }
    Path dir = Files.createDirectories(work.resolve("apps").resolve(app.name()));
    StringBuilder procfile = new StringBuilder();
    for (String type : app.formation().keySet()) {
      procfile.append(type).append(": synthetic\n");
    }
    Files.writeString(dir.resolve("Procfile"), procfile.toString());
    return dir;
  }

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temporary directory left behind is not worth failing a run for
    }
  }

  /** Log lines published and dropped, summed over every node that ran (a dead node's last count kept). */
  private static final class LogCounts {
    private final Map<ManifoldNode, double[]> byNode = new IdentityHashMap<>();

    synchronized void read(LocalManifold manifold) {
      for (ManifoldNode n : manifold.nodes()) {
        if (n.terminated()) {
          continue;
        }
        var snapshot = n.metrics().snapshot("manifold_log");
        byNode.put(n, new double[] {
            snapshot.counter("manifold_log_lines", Map.of()),
            snapshot.counter("manifold_log_dropped_lines", Map.of())});
      }
    }

    synchronized long published() {
      return Math.round(byNode.values().stream().mapToDouble(v -> v[0]).sum());
    }

    synchronized long dropped() {
      return Math.round(byNode.values().stream().mapToDouble(v -> v[1]).sum());
    }
  }
}
