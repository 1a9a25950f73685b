package io.manifold.sim.live;

import io.manifold.core.dyno.DynoName;
import io.manifold.core.dyno.DynoRuntime;
import io.manifold.core.dyno.DynoSpec;
import io.manifold.core.dyno.Endpoint;
import io.manifold.sim.dist.Units;
import io.manifold.sim.random.RandomStreams;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One incarnation of a synthetic dyno in real time: the "process" a {@link LiveSyntheticRuntime}
 * launches. After its boot time a web dyno listens on {@code $PORT} and serves HTTP requests: at
 * most {@code concurrency} in service, the others waiting in a FIFO queue of at most
 * {@code backlog}; one more is refused by closing its connection without an answer, which the
 * router reports as H13, as it does for a real server that drops what it cannot take. Other process
 * types just run. Faults ({@link SyntheticFaults}) are looked up at the moment they matter: at boot
 * (crash-loop), when a request starts (slow), and when it ends (hang, errors, leak).
 *
 * <p>SIGTERM: the listening socket closes, idle connections close, what is in service and queued
 * is answered (with {@code Connection: close}), then exit 143. SIGKILL: every connection closes at
 * once, unanswered, exit 137. Everything runs on the runtime's loop thread; the signals hop onto it.
 */
final class LiveDyno implements DynoRuntime.Running {
  /** Connections one dyno keeps open; one more is closed as soon as it is accepted. */
  static final int MAX_CONNECTIONS = 1024;
  /** A service time longer than this (from a header or a heavy tail) is cut to it. */
  static final long MAX_SERVICE_NANOS = 24L * 3600 * 1_000_000_000L;

  enum State { BOOTING, RUNNING, DRAINING, GONE }

  /** A request with the dyno: waiting, in service, or held by a hang. */
  private static final class Pending {
    final HttpConnection connection;
    final HttpRequestReader.Head head;
    final long arrived;
    final long demand;
    long started;
    long service;
    NioLoop.Timer timer;

    Pending(HttpConnection connection, HttpRequestReader.Head head, long arrived, long demand) {
      this.connection = connection;
      this.head = head;
      this.arrived = arrived;
      this.demand = demand;
    }
  }

  private final LiveSyntheticRuntime runtime;
  private final NioLoop loop;
  private final SyntheticFaults faults;
  private final DynoSpec spec;
  private final SyntheticConfig config;
  private final String configError;
  private final DynoRuntime.Output output;
  private final int port;
  private final Endpoint endpoint;
  private final SplittableRandom serviceDraws;
  private final SplittableRandom errorDraws;
  private final CompletableFuture<Endpoint> bound = new CompletableFuture<>();
  private final CompletableFuture<Integer> exited = new CompletableFuture<>();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final List<Pending> inService = new ArrayList<>();
  private final List<Pending> hung = new ArrayList<>();
  private final Set<HttpConnection> connections = new LinkedHashSet<>();
  private ServerSocketChannel server;
  private NioLoop.Timer bootTimer;
  private State state = State.BOOTING;

  // what tests and the scenario runner see, from any thread
  private volatile long served;
  private volatile long refused;
  private volatile long memory;
  private volatile int inServiceNow;
  private volatile int queuedNow;
  private volatile int hungNow;
  private volatile State stateNow = State.BOOTING;

  /**
   * @param config null when the config vars are bad: the dyno then prints {@code configError} and
   *     exits 1
   * @param streams this launch's random streams
   */
  LiveDyno(LiveSyntheticRuntime runtime, NioLoop loop, SyntheticFaults faults, DynoSpec spec, SyntheticConfig config,
      String configError, DynoRuntime.Output output, int port, String host, RandomStreams streams) {
    this.runtime = runtime;
    this.loop = loop;
    this.faults = faults;
    this.spec = spec;
    this.config = config;
    this.configError = configError;
    this.output = output;
    this.port = port;
    this.endpoint = new Endpoint(host, port);
    this.serviceDraws = streams.stream("service");
    this.errorDraws = streams.stream("errors");
    this.memory = config == null ? 0 : config.memoryStartBytes();
    if (config == null) {
      return;
    }
    long boot = clamp(config.boot().sample(streams.stream("boot")));
    bootTimer = loop.after(boot, this::booted);
  }

  /** Once launched, on the loop: a bad config ends the dyno at once, as an app that cannot start. */
  void start() {
    if (config == null) {
      output.line(configError);
      exit(1);
    }
  }

  String app() {
    return spec.app();
  }

  DynoName name() {
    return spec.name();
  }

  private boolean web() {
    return spec.name().isWeb();
  }

  // --- boot ---

  private void booted() {
    bootTimer = null;
    if (state != State.BOOTING) {
      return;
    }
    if (faults.crashLooping(spec.app(), spec.name())) {
      output.line("Crashing as it boots (crash-loop fault)");
      exit(1);
      return;
    }
    if (web()) {
      try {
        server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress(runtime.bindAddress(), port), 1024);
        server.configureBlocking(false);
        server.register(loop.selector(), SelectionKey.OP_ACCEPT, (NioLoop.Handler) k -> accept());
      } catch (IOException e) {
        output.line("Cannot listen on port " + port + ": " + e.getMessage());
        exit(1);
        return;
      }
      setState(State.RUNNING);
      output.line("Listening on " + endpoint + " (synthetic: " + config.service() + ", concurrency "
          + config.concurrency() + ", backlog " + config.backlog() + ")");
      bound.complete(endpoint);
    } else {
      setState(State.RUNNING);
      output.line("Running (synthetic " + spec.name().type() + ")");
    }
  }

  private void accept() {
    while (true) {
      SocketChannel channel;
      try {
        channel = server.accept();
      } catch (IOException e) {
        return;
      }
      if (channel == null) {
        return;
      }
      if (state != State.RUNNING || connections.size() >= MAX_CONNECTIONS) {
        closeQuietly(channel);
        continue;
      }
      try {
        connections.add(new HttpConnection(this, channel, loop));
      } catch (IOException e) {
        closeQuietly(channel);
      }
    }
  }

  // --- serving ---

  /** A request has been read from {@code c}. */
  void arrived(HttpConnection c, HttpRequestReader.Head head) {
    if (state != State.RUNNING) {
      c.close(); // stopping: it takes nothing new
      return;
    }
    long demand = -1;
    if (head.service() != null) {
      try {
        demand = Math.round(Units.nanos(head.service()));
      } catch (IllegalArgumentException e) {
        c.respond(400, "X-Manifold-Service: " + e.getMessage() + "\n", false, dynoHeader(), head);
        return;
      }
    } else if (head.draw() != null) {
      // the request brings its randomness, the dyno its model: the same request takes the same
      // time on any dyno of one release, and a new SYNTHETIC_SERVICE still changes it
      try {
        demand = Math.max(0, Math.round(config.service().sample(new java.util.SplittableRandom(Long.parseLong(head.draw())))));
      } catch (NumberFormatException e) {
        c.respond(400, "X-Manifold-Draw: expected a whole number (64-bit) but found '" + head.draw() + "'\n", false, dynoHeader(), head);
        return;
      }
    }
    Pending p = new Pending(c, head, System.nanoTime(), demand);
    if (inService.size() < config.concurrency()) {
      start(p);
    } else if (queue.size() < config.backlog()) {
      queue.addLast(p);
      queuedNow = queue.size();
    } else {
      refused++;
      c.close();
    }
  }

  private void start(Pending p) {
    long now = System.nanoTime();
    long service = p.demand >= 0 ? p.demand : Math.round(config.service().sample(serviceDraws));
    service = clamp(service + faults.slowNanos(spec.app(), spec.name()));
    p.started = now;
    p.service = service;
    inService.add(p);
    inServiceNow = inService.size();
    p.timer = loop.after(service, () -> serviced(p));
  }

  private void serviced(Pending p) {
    p.timer = null;
    if (state == State.GONE) {
      return;
    }
    if (faults.hung(spec.app(), spec.name())) {
      hung.add(p); // keeps its slot: a hung app answers nothing
      hungNow = hung.size();
      return;
    }
    answer(p);
  }

  private void answer(Pending p) {
    inService.remove(p);
    served++;
    memory += config.memoryPerRequestBytes() + faults.leakBytes(spec.app(), spec.name());
    // the draw is taken for every request, so that the share changes which requests fail but not
    // the draws of the ones after
    boolean fails = errorDraws.nextDouble() < faults.errorShare(spec.app(), spec.name(), config.errorShare());
    // the next in line takes the slot before the answer goes out, as in virtual time
    if (!queue.isEmpty() && state != State.GONE) {
      start(queue.pollFirst());
    }
    inServiceNow = inService.size();
    queuedNow = queue.size();
    String headers = dynoHeader()
        + "X-Manifold-Release: " + spec.release() + "\r\n"
        + "X-Manifold-Queue: " + (p.started - p.arrived) + "ns\r\n"
        + "X-Manifold-Service: " + p.service + "ns\r\n";
    boolean keepAlive = p.head.keepAlive() && state == State.RUNNING;
    if (fails) {
      p.connection.respond(500, spec.name() + ": synthetic error\n", keepAlive, headers, p.head);
    } else {
      p.connection.respond(200, spec.name() + "\n", keepAlive, headers, p.head);
    }
    drained();
  }

  private String dynoHeader() {
    return "X-Manifold-Dyno: " + spec.name() + "\r\n";
  }

  /** A connection has closed (the client went, or the dyno closed it). */
  void closed(HttpConnection c) {
    connections.remove(c);
    drained();
  }

  /** The faults have changed: a healed hang answers what it held, oldest first. */
  void faultsChanged() {
    if (!hung.isEmpty() && state != State.GONE && !faults.hung(spec.app(), spec.name())) {
      List<Pending> held = new ArrayList<>(hung);
      hung.clear();
      hungNow = 0;
      held.forEach(this::answer);
    }
  }

  // --- signals and death ---

  @Override
  public void terminate() {
    loop.execute(() -> {
      switch (state) {
        case BOOTING -> exit(143);
        case RUNNING -> {
          if (!web()) {
            exit(143);
            return;
          }
          setState(State.DRAINING);
          closeServer();
          for (HttpConnection c : List.copyOf(connections)) {
            if (c.idle()) {
              c.close();
            }
          }
          drained();
        }
        default -> { }
      }
    });
  }

  @Override
  public void kill() {
    loop.execute(() -> die(137, null));
  }

  /** The crash fault: exit 1 now, dropping everything. On the loop. */
  void crash() {
    die(1, "Crashing (crash fault)");
  }

  /** Its node dies: everything dropped, no exit reported. On the loop. */
  void powerOff() {
    die(-1, null);
  }

  /** Draining and nothing left: exit 143 once every answer has been written. */
  private void drained() {
    if (state == State.DRAINING && inService.isEmpty() && queue.isEmpty() && connections.isEmpty()) {
      exit(143);
    }
  }

  /** @param status the exit status, or -1 to report none */
  private void die(int status, String line) {
    if (state == State.GONE) {
      return;
    }
    if (line != null) {
      output.line(line);
    }
    for (Pending p : inService) {
      if (p.timer != null) {
        p.timer.cancel();
      }
    }
    inService.clear();
    queue.clear();
    hung.clear();
    exit(status);
  }

  private void exit(int status) {
    if (state == State.GONE) {
      return;
    }
    setState(State.GONE);
    if (bootTimer != null) {
      bootTimer.cancel();
      bootTimer = null;
    }
    closeServer();
    for (HttpConnection c : List.copyOf(connections)) {
      c.close();
    }
    connections.clear();
    inServiceNow = 0;
    queuedNow = 0;
    hungNow = 0;
    runtime.gone(this);
    bound.completeExceptionally(new IllegalStateException("exited before listening"));
    if (status >= 0) {
      exited.complete(status);
    }
  }

  private void closeServer() {
    if (server != null) {
      closeQuietly(server);
      server = null;
    }
  }

  private void setState(State s) {
    state = s;
    stateNow = s;
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // gone either way
    }
  }

  private static long clamp(double nanos) {
    return (long) Math.max(0, Math.min(nanos, MAX_SERVICE_NANOS));
  }

  // --- DynoRuntime.Running ---

  @Override
  public CompletionStage<Endpoint> bound() {
    return bound;
  }

  @Override
  public CompletionStage<Integer> exited() {
    return exited;
  }

  /** {@code $PORT} for a web dyno; 0 for other types, which listen on nothing. */
  @Override
  public int port() {
    return web() ? port : 0;
  }

  @Override
  public OptionalLong memoryBytes() {
    return stateNow == State.GONE ? OptionalLong.empty() : OptionalLong.of(memory);
  }

  SyntheticDynoView view() {
    return new SyntheticDynoView(spec.app(), spec.name().toString(), spec.release(), port(), stateNow.name().toLowerCase(java.util.Locale.ROOT),
        served, inServiceNow - hungNow, queuedNow, hungNow, refused, stateNow == State.GONE ? 0 : memory);
  }

  @Override
  public String toString() {
    return "synthetic " + spec.app() + " " + spec.name() + (web() ? " on port " + port : "");
  }
}
