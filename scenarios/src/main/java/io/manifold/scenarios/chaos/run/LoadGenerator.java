package io.manifold.scenarios.chaos.run;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.manifold.scenarios.chaos.Scenario;
import io.manifold.sim.random.RandomStreams;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Host;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * The scenario's clients: real HTTP requests to the routers of the manifold's nodes on 127.0.0.1,
 * each recorded in the {@link Timeline} by the moment it was due, so that a late send (the
 * generator or the machine stalled) counts against latency instead of hiding it.
 *
 * <p>Open-loop loads follow an {@link ArrivalSchedule} drawn from the seed; closed-loop users
 * send, wait for the answer, think (a seeded draw) and send again. A synthetic app's request
 * carries its own draw ({@link #DRAW_HEADER}, a seed from the run's seed) which the dyno maps
 * through its service distribution, so a request takes as long whichever dyno serves it, and a
 * config change of the distribution still shows; a replayed request with a service time in its
 * trace carries that time ({@link #SERVICE_HEADER}). Requests go to the routers in turn (or to those of
 * {@code via}), skipping nodes that are down, as a load balancer in front of Heroku's routers
 * would.
 *
 * <p>Bounds: at most {@link #MAX_OPEN} requests open at once (more are recorded as not sent);
 * each is given the router's timeout plus {@link #ANSWER_MARGIN} to answer, after which it is
 * lost. The client is Pekko HTTP in an actor system of its own, with at most
 * {@link #CONNECTIONS_PER_ROUTER} connections to each router and no retries.
 */
public final class LoadGenerator implements AutoCloseable {
  public static final String SERVICE_HEADER = "X-Manifold-Service";
  /** A seed for the request's draw from the synthetic dyno's own service distribution. */
  public static final String DRAW_HEADER = "X-Manifold-Draw";
  public static final int MAX_OPEN = 10_000;
  static final int CONNECTIONS_PER_ROUTER = 1024;
  static final Duration ANSWER_MARGIN = Duration.ofSeconds(15);

  /** Where a request goes: a live router's port, or -1 when none of {@code via} (empty: any) runs. */
  @FunctionalInterface
  public interface Routers {
    int port(List<Integer> via, long turn);
  }

  private final Scenario scenario;
  private final Timelines timeline;
  private final Routers routers;
  private final RandomStreams streams;
  private final String domain;
  private final long answerNanos;
  private final ActorSystem<Void> system;
  private final ScheduledExecutorService timers;
  private final Map<Long, Open> open = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong turns = new AtomicLong();
  private final AtomicBoolean sending = new AtomicBoolean();
  private final MessageDigest inputs;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong notSent = new AtomicLong();
  /** The most a send came after its due time, in nanoseconds: how well the generator kept up. */
  private final AtomicLong maxLateness = new AtomicLong();
  private volatile long t0;
  private Thread pacer;

  private record Open(long id, String app, long dueNanos, long sentNanos, AtomicBoolean ended) {}

  LoadGenerator(Scenario scenario, Timelines timeline, Routers routers, RandomStreams streams, String domain) {
    this.scenario = scenario;
    this.timeline = timeline;
    this.routers = routers;
    this.streams = streams;
    this.domain = domain;
    this.answerNanos = scenario.router().timeout().plus(ANSWER_MARGIN).toNanos();
    Config config = ConfigFactory.parseMap(Map.of(
            "pekko.http.host-connection-pool.max-connections", CONNECTIONS_PER_ROUTER,
            "pekko.http.host-connection-pool.max-open-requests", Integer.highestOneBit(MAX_OPEN) * 2,
            "pekko.http.host-connection-pool.max-retries", 0,
            "pekko.http.host-connection-pool.max-connection-lifetime", "infinite",
            "pekko.http.client.connecting-timeout", "5s",
            "pekko.http.client.idle-timeout", answerNanos / 1_000_000 + "ms",
            "pekko.http.host-connection-pool.response-entity-subscription-timeout", "10s",
            "pekko.loglevel", "WARNING",
            "pekko.log-dead-letters", "off"))
        .withFallback(ConfigFactory.defaultReference(LoadGenerator.class.getClassLoader()));
    this.system = ActorSystem.create(Behaviors.empty(), "load", config);
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "load-timers");
      t.setDaemon(true);
      return t;
    });
    try {
      this.inputs = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Before t = 0: a few requests to every app through every router, not recorded, so that the
   * measured run does not start with cold connections and code that has not been compiled yet.
   * Bounded by {@code rounds} rounds of one request per app and router, and by {@code max}.
   */
  public void warmUp(java.util.Collection<String> apps, List<Integer> ports, int rounds, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    for (int round = 0; round < rounds && System.nanoTime() < deadline; round++) {
      List<java.util.concurrent.CompletableFuture<?>> all = new ArrayList<>();
      for (String app : apps) {
        for (int port : ports) {
          HttpRequest request = HttpRequest.GET("http://127.0.0.1:" + port + "/").addHeader(Host.create(app + "." + domain));
          all.add(Http.get(system).singleRequest(request)
              .thenCompose(r -> r.discardEntityBytes(system).completionStage())
              .toCompletableFuture());
        }
      }
      try {
        java.util.concurrent.CompletableFuture.allOf(all.toArray(java.util.concurrent.CompletableFuture[]::new))
            .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        return; // a router or an app that does not answer now will show in the measured run
      }
    }
  }

  /** Starts every load; t = 0 is now. */
  public void start() {
    t0 = System.nanoTime();
    sending.set(true);
    List<Source> sources = new ArrayList<>();
    for (int i = 0; i < scenario.load().size(); i++) {
      Scenario.LoadDef load = scenario.load().get(i);
      String name = "load/" + i;
      boolean service = synthetic(load.app());
      if (load.arrivals() instanceof Scenario.Open o) {
        sources.add(new Source(i, load, new ArrivalSchedule(o, load.duration().toNanos(), streams.stream(name + "/arrivals")),
            null, service, streams.stream(name + "/service")));
      } else if (load.arrivals() instanceof Scenario.Replay r) {
        sources.add(new Source(i, load, null, r, service, streams.stream(name + "/service")));
      } else if (load.arrivals() instanceof Scenario.Closed c) {
        for (int u = 0; u < c.users(); u++) {
          startUser(i, load, c, u, service);
        }
      }
    }
    if (!sources.isEmpty()) {
      pacer = new Thread(() -> pace(sources), "load-pacer");
      pacer.setDaemon(true);
      pacer.start();
    }
  }

  private boolean synthetic(String app) {
    return scenario.apps().get(app).synthetic();
  }

  /** What a request brings for its service time: a header and its value. */
  private record Demand(String header, String value) {}

  /** A synthetic app's request gets a draw of its own; others nothing. */
  private static Demand draw(boolean synthetic, SplittableRandom random) {
    return synthetic ? new Demand(DRAW_HEADER, Long.toString(random.nextLong())) : null;
  }

  /** One open-loop or replayed load: its next request, drawn ahead. */
  private final class Source {
    final int index;
    final Scenario.LoadDef load;
    final ArrivalSchedule schedule;
    final Scenario.Replay replay;
    final boolean service;
    final SplittableRandom serviceRandom;
    final long startNanos;
    int row;
    long nextDue;
    Demand nextDemand;

    Source(int index, Scenario.LoadDef load, ArrivalSchedule schedule, Scenario.Replay replay, boolean service,
        SplittableRandom serviceRandom) {
      this.index = index;
      this.load = load;
      this.schedule = schedule;
      this.replay = replay;
      this.service = service;
      this.serviceRandom = serviceRandom;
      this.startNanos = load.start().toNanos();
      advance();
    }

    /** Draws the next request; nextDue is -1 once the load is over. */
    void advance() {
      long at;
      long svc = -1;
      if (schedule != null) {
        at = schedule.next();
      } else if (row < replay.atNanos().length && replay.atNanos()[row] < load.duration().toNanos()) {
        at = replay.atNanos()[row];
        svc = replay.serviceNanos()[row];
        row++;
      } else {
        at = -1;
      }
      nextDue = at < 0 ? -1 : startNanos + at;
      nextDemand = at < 0 ? null : svc >= 0 ? new Demand(SERVICE_HEADER, svc + "ns") : draw(service, serviceRandom);
      if (at >= 0) {
        digest(index, nextDue, nextDemand);
      }
    }
  }

  private void pace(List<Source> sources) {
    while (sending.get()) {
      Source next = null;
      for (Source s : sources) {
        if (s.nextDue >= 0 && (next == null || s.nextDue < next.nextDue)) {
          next = s;
        }
      }
      if (next == null) {
        return;
      }
      long wait = next.nextDue - (System.nanoTime() - t0);
      if (wait > 0) {
        LockSupport.parkNanos(Math.min(wait, 50_000_000L));
        continue;
      }
      send(next.load, next.nextDue, next.nextDemand, null);
      next.advance();
    }
  }

  private void startUser(int index, Scenario.LoadDef load, Scenario.Closed closed, int user, boolean service) {
    SplittableRandom think = streams.stream("load/" + index + "/user/" + user + "/think");
    SplittableRandom svc = streams.stream("load/" + index + "/user/" + user + "/service");
    long end = load.start().plus(load.duration()).toNanos();
    // users start spread over the first think time, so that they do not all send at once
    long first = load.start().toNanos() + Math.round(closed.think().sample(think) * think.nextDouble());
    Runnable[] turn = new Runnable[1];
    turn[0] = () -> {
      long due = System.nanoTime() - t0;
      if (!sending.get() || due >= end) {
        return;
      }
      send(load, due, draw(service, svc), () -> {
        long pause = Math.max(0, Math.round(closed.think().sample(think)));
        if (sending.get()) {
          timers.schedule(turn[0], pause, TimeUnit.NANOSECONDS);
        }
      });
    };
    timers.schedule(turn[0], Math.max(0, first - (System.nanoTime() - t0)), TimeUnit.NANOSECONDS);
  }

  private synchronized void digest(int load, long due, Demand demand) {
    ByteBuffer b = ByteBuffer.allocate(12);
    b.putInt(load).putLong(due);
    inputs.update(b.array());
    if (demand != null) {
      inputs.update(demand.value().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
  }

  private void send(Scenario.LoadDef load, long due, Demand demand, Runnable then) {
    long now = System.nanoTime() - t0;
    maxLateness.accumulateAndGet(now - due, Math::max);
    int port = routers.port(load.via(), turns.getAndIncrement());
    if (port < 0) {
      end(load.app(), null, due, Timeline.Kind.CONNECTION_ERROR, 0, "no-router", now, then);
      return;
    }
    if (open.size() >= MAX_OPEN) {
      notSent.incrementAndGet();
      end(load.app(), null, due, Timeline.Kind.NOT_SENT, 0, "not-sent", now, then);
      return;
    }
    Open o = new Open(ids.incrementAndGet(), load.app(), due, now, new AtomicBoolean());
    open.put(o.id(), o);
    sent.incrementAndGet();
    HttpRequest request = HttpRequest.GET("http://127.0.0.1:" + port + load.path())
        .addHeader(Host.create(load.app() + "." + domain))
        .addHeader(RawHeader.create("X-Request-Id", String.format("manifold-scenario-%012d", o.id())));
    if (demand != null) {
      request = request.addHeader(RawHeader.create(demand.header(), demand.value()));
    }
    timers.schedule(() -> end(o.app(), o, due, Timeline.Kind.LOST, 0, "lost", System.nanoTime() - t0, then), answerNanos, TimeUnit.NANOSECONDS);
    Http.get(system).singleRequest(request).whenComplete((response, failure) -> {
      if (failure != null) {
        end(o.app(), o, due, Timeline.Kind.CONNECTION_ERROR, 0, failureName(failure), System.nanoTime() - t0, then);
      } else {
        response.discardEntityBytes(system).completionStage().whenComplete((done, broken) -> answered(o, due, response, broken, then));
      }
    });
  }

  private void answered(Open o, long due, HttpResponse response, Throwable broken, Runnable then) {
    long now = System.nanoTime() - t0;
    int status = response.status().intValue();
    String code = response.getHeader("X-Manifold-Code").map(h -> h.value()).orElse(null);
    if (broken != null) {
      end(o.app(), o, due, Timeline.Kind.CONNECTION_ERROR, status, failureName(broken), now, then);
    } else if (code != null) {
      end(o.app(), o, due, Timeline.Kind.ROUTER_ERROR, status, code, now, then);
    } else {
      Timeline.Kind kind = status >= 500 ? Timeline.Kind.APP_ERROR : status >= 400 ? Timeline.Kind.CLIENT_ERROR : Timeline.Kind.OK;
      end(o.app(), o, due, kind, status, Integer.toString(status), now, then);
    }
  }

  private void end(String app, Open o, long due, Timeline.Kind kind, int status, String code, long now, Runnable then) {
    if (o != null) {
      if (!o.ended().compareAndSet(false, true)) {
        return; // answered after it was given up as lost, or lost after its answer: counted once
      }
      open.remove(o.id());
    }
    if (kind != Timeline.Kind.NOT_SENT) {
      answered.incrementAndGet();
    }
    if (kind.error()) {
      errors.incrementAndGet();
    }
    timeline.record(app, new Timeline.Outcome(due, kind, status, code, now - due));
    if (then != null) {
      then.run();
    }
  }

  private static String failureName(Throwable t) {
    String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
    if (m.contains("refused")) {
      return "connection-refused";
    }
    if (m.contains("reset") || m.contains("closed") || m.contains("closure")) {
      return "connection-closed";
    }
    if (m.contains("timeout") || m.contains("timed out")) {
      return "connection-timeout";
    }
    return "connection-failed";
  }

  /** Sends nothing more; requests already sent keep their chance to be answered. */
  public void stopSending() {
    sending.set(false);
    if (pacer != null) {
      pacer.interrupt();
    }
  }

  /**
   * Waits until every open request has ended (answered, or lost at its deadline), at most until
   * {@code max}; whatever is still open then is recorded as lost.
   */
  public void awaitAnswers(Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (!open.isEmpty() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(20_000_000L);
    }
    for (Open o : List.copyOf(open.values())) {
      end(o.app(), o, o.dueNanos(), Timeline.Kind.LOST, 0, "lost", System.nanoTime() - t0, null);
    }
  }

  /** The seconds since t = 0. */
  public double elapsedSeconds() {
    return (System.nanoTime() - t0) / 1e9;
  }

  public long nanosSinceStart() {
    return System.nanoTime() - t0;
  }

  public long sent() {
    return sent.get();
  }

  public long ended() {
    return answered.get();
  }

  public long errors() {
    return errors.get();
  }

  public long notSent() {
    return notSent.get();
  }

  public int openNow() {
    return open.size();
  }

  public Duration maxLateness() {
    return Duration.ofNanos(Math.max(0, maxLateness.get()));
  }

  /** A digest of every drawn input: arrival times and service draws of the open-loop and replayed loads. */
  public synchronized String inputsDigest() {
    try {
      MessageDigest copy = (MessageDigest) inputs.clone();
      return HexFormat.of().formatHex(copy.digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    stopSending();
    timers.shutdownNow();
    try {
      Http.get(system).shutdownAllConnectionPools().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // bounded: the pools go with the system anyway
    }
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // bounded: a system that does not stop in 10 s is left to the JVM's exit
    }
  }
}
