package io.manifold.sim.live;

import io.manifold.core.dyno.DynoRuntime;
import io.manifold.core.dyno.DynoSpec;
import io.manifold.sim.random.RandomStreams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Synthetic dynos in real time, on real sockets: what a scenario's manifold runs instead of
 * processes, behind the real router. Each launch reads the app's model from its config vars
 * ({@link SyntheticConfig}), so a config change (a new release) changes how the app behaves; a bad
 * value makes the dyno print what is wrong and exit 1, as a misconfigured app crashes. Web dynos
 * serve HTTP/1.1 on {@code $PORT} (see {@link LiveDyno}); other process types run until stopped.
 * Faults come from a {@link SyntheticFaults} table that every node's runtime shares, so that a fault
 * on {@code web.3} follows the dyno to whichever node runs it.
 *
 * <p>Threads, whatever the number of dynos and requests: one loop thread that does all the serving
 * and timing ({@link NioLoop}), and one launcher thread that reads the config (an empirical
 * distribution is a file) and picks the port. Nothing waits on a thread: a request waiting or in
 * service is a queue entry and a timer.
 *
 * <p>Random draws: each launch gets its own streams, from {@code SYNTHETIC_SEED}, the app, the dyno
 * and the how-many-th launch of that dyno on this runtime it is; a request that brings its service
 * time ({@code X-Manifold-Service}) draws none, and one that brings a draw ({@code X-Manifold-Draw},
 * a 64-bit seed) is served for as long as that draw from the dyno's own service distribution
 * says: the load generator's way of giving every request the same time on any dyno, while a
 * config change of {@code SYNTHETIC_SERVICE} still takes effect.
 */
public final class LiveSyntheticRuntime implements DynoRuntime, AutoCloseable {
  private final String host;
  private final InetAddress bindAddress;
  private final SyntheticFaults faults;
  private final NioLoop loop;
  private final ExecutorService launcher;
  private final Set<LiveDyno> live = ConcurrentHashMap.newKeySet();
  /** Launches so far per {@code app/dyno}: bounded by the dynos the apps' formations name. */
  private final Map<String, Integer> launches = new ConcurrentHashMap<>();
  private volatile boolean poweredOff;

  /** On 127.0.0.1, with faults of its own. */
  public LiveSyntheticRuntime() {
    this("127.0.0.1", new SyntheticFaults());
  }

  /** On 127.0.0.1, with the manifold's fault table. */
  public LiveSyntheticRuntime(SyntheticFaults faults) {
    this("127.0.0.1", faults);
  }

  /**
   * @param host the node's host: dynos listen on it, and routers on other nodes reach them there
   * @param faults the manifold's fault table, shared by every node's runtime
   */
  public LiveSyntheticRuntime(String host, SyntheticFaults faults) {
    this.host = host;
    try {
      this.bindAddress = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("no such host '" + host + "'", e);
    }
    this.faults = faults;
    this.loop = new NioLoop("manifold-synthetic-" + host);
    this.launcher = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "manifold-synthetic-launcher-" + host);
      t.setDaemon(true);
      return t;
    });
    faults.attach(this);
  }

  public SyntheticFaults faults() {
    return faults;
  }

  @Override
  public CompletionStage<Running> launch(DynoSpec spec, Output output) {
    CompletableFuture<Running> started = new CompletableFuture<>();
    if (poweredOff) {
      return started; // a dead node starts nothing; the Dyno actor on it is as dead as the node
    }
    try {
      launcher.execute(() -> prepare(spec, output, started));
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // closed meanwhile: as dead as a powered-off node
    }
    return started;
  }

  /** On the launcher: the config, the port and the random streams; then the dyno, on the loop. */
  private void prepare(DynoSpec spec, Output output, CompletableFuture<Running> started) {
    try {
      SyntheticConfig config = null;
      String error = null;
      try {
        config = SyntheticConfig.parse(spec.env(), spec.workDir());
      } catch (IllegalArgumentException e) {
        error = "Error: " + e.getMessage();
      }
      long seed = config == null ? 0 : config.seed();
      int n = launches.merge(spec.app() + "/" + spec.name(), 1, Integer::sum);
      RandomStreams streams = new RandomStreams(seed).derive(spec.app() + "/" + spec.name() + "/" + n);
      int port = spec.name().isWeb() ? port(spec) : 0;
      SyntheticConfig c = config;
      String reason = error;
      loop.execute(() -> {
        if (poweredOff) {
          return;
        }
        LiveDyno dyno = new LiveDyno(this, loop, faults, spec, c, reason, output, port, host, streams);
        live.add(dyno);
        started.complete(dyno);
        dyno.start();
      });
    } catch (RuntimeException e) {
      started.completeExceptionally(e); // the Dyno logs it (R99) and crashes
    }
  }

  /** {@code $PORT}: the one the spec gives, else one the OS reports free (as the process runtime). */
  private int port(DynoSpec spec) {
    String given = spec.env().get("PORT");
    if (given != null && given.matches("[0-9]{1,5}") && Integer.parseInt(given) > 0 && Integer.parseInt(given) < 65536) {
      return Integer.parseInt(given);
    }
    try (ServerSocket socket = new ServerSocket(0, 1, bindAddress)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + host, e);
    }
  }

  /** What every dyno of this runtime is doing now, by app and name. */
  public List<SyntheticDynoView> dynos() {
    return live.stream().map(LiveDyno::view)
        .sorted(Comparator.comparing(SyntheticDynoView::app).thenComparing(SyntheticDynoView::dyno))
        .toList();
  }

  /** What one dyno is doing now, if it runs here. */
  public Optional<SyntheticDynoView> dyno(String app, String name) {
    return live.stream().filter(d -> d.app().equals(app) && d.name().toString().equals(name)).findFirst().map(LiveDyno::view);
  }

  /** Dynos launched and not yet exited. */
  public int running() {
    return live.size();
  }

  /**
   * The node dies: every dyno dies at once with its connections, and none reports an exit (a dead
   * node reports nothing; the cluster finds out). It launches nothing any more.
   */
  @Override
  public void killAll() {
    poweredOff = true;
    loop.execute(() -> List.copyOf(live).forEach(LiveDyno::powerOff));
  }

  /** Kills what is left (as {@link #killAll}) and stops its two threads. */
  @Override
  public void close() {
    killAll();
    faults.detach(this);
    loop.close();
    launcher.shutdownNow();
  }

  // --- for the dynos and the fault table ---

  InetAddress bindAddress() {
    return bindAddress;
  }

  void gone(LiveDyno dyno) {
    live.remove(dyno);
  }

  /** Whether a dyno of {@code app} that {@code target} (a dyno or a type) names runs here. */
  boolean runs(String app, String target) {
    return live.stream().anyMatch(d -> d.app().equals(app) && SyntheticFaults.matches(target, d.name()));
  }

  /** The crash fault, for the dynos {@code target} names here; how many there were. */
  int crash(String app, String target) {
    List<LiveDyno> hit = live.stream().filter(d -> d.app().equals(app) && SyntheticFaults.matches(target, d.name())).toList();
    if (!hit.isEmpty()) {
      loop.execute(() -> hit.forEach(LiveDyno::crash));
    }
    return hit.size();
  }

  void faultsChanged() {
    loop.execute(() -> List.copyOf(live).forEach(LiveDyno::faultsChanged));
  }

  @Override
  public String toString() {
    return "synthetic runtime on " + host + " (" + live.size() + " dynos)";
  }
}
