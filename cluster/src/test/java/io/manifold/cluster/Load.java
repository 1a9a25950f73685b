package io.manifold.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An open-loop client on 127.0.0.1: {@code GET /} at a fixed rate, whatever the answers, each to
 * the next of the (router node, app) targets in turn, with an {@code X-Request-Id} of its own so
 * that the router's log line for it can be found. Bounded: it stops by itself after
 * {@code maxRequests}, and each request gives up (as "no answer") after {@link #PATIENCE}, longer
 * than anything the router may take (H20 comes after 75 s in the boot queue).
 */
final class Load implements AutoCloseable {
  static final Duration PATIENCE = Duration.ofSeconds(100);
  private static final Pattern SERVED_BY = Pattern.compile("from (\\S+)$");

  record Target(int node, String app) {}

  /**
   * One request and how it ended: {@code status} 0 when there was no answer at all (then
   * {@code error} says what happened instead); {@code code} the router's H-code when it answered
   * itself (its {@code X-Manifold-Code}), else null; {@code dyno} the dyno that wrote the body,
   * for a 200. An answer whose body broke off (the dyno died mid-response, after the router had
   * passed its status line on) has its status and the {@code error}.
   */
  record Request(long seq, Target target, String requestId, Instant sent, Instant answered, int status, String code, String dyno,
      String error) {
    /** {@code 200}, {@code 503 H21}, {@code 200 body cut off}, or {@code no answer}. */
    String outcome() {
      if (status == 0) {
        return "no answer";
      }
      return status + (code == null ? "" : " " + code) + (error == null ? "" : " body cut off");
    }

    Duration took() {
      return Duration.between(sent, answered);
    }
  }

  private final ClusterHarness cluster;
  private final List<Target> targets;
  private final long maxRequests;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "load");
    t.setDaemon(true);
    return t;
  });
  private final AtomicLong seq = new AtomicLong();
  private final List<CompletableFuture<Request>> inFlight = new CopyOnWriteArrayList<>();
  private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  Load(ClusterHarness cluster, List<Target> targets, int perSecond, long maxRequests) {
    this.cluster = cluster;
    this.targets = List.copyOf(targets);
    this.maxRequests = maxRequests;
    ticks.scheduleAtFixedRate(this::send, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
  }

  private void send() {
    long n = seq.incrementAndGet();
    if (n > maxRequests) {
      ticks.shutdown();
      return;
    }
    Target t = targets.get((int) (n % targets.size()));
    String id = "manifold-load-" + run + "-" + n;
    Instant sent = Instant.now();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.manifold.node(t.node()).routerPort() + "/"))
        .header("Host", t.app() + ".localhost").header("X-Request-Id", id).timeout(PATIENCE).build();
    // the status line and headers are noted as they come, so that a body that breaks off later
    // still counts as an answer with its status
    AtomicReference<HttpResponse.ResponseInfo> head = new AtomicReference<>();
    HttpResponse.BodyHandler<String> body = info -> {
      head.set(info);
      return HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);
    };
    inFlight.add(http.sendAsync(request, body).handle((r, failure) -> {
      if (failure != null) {
        HttpResponse.ResponseInfo h = head.get();
        return h == null
            ? new Request(n, t, id, sent, Instant.now(), 0, null, null, String.valueOf(failure))
            : new Request(n, t, id, sent, Instant.now(), h.statusCode(), h.headers().firstValue("X-Manifold-Code").orElse(null), null,
                String.valueOf(failure));
      }
      Matcher m = SERVED_BY.matcher(r.body().strip());
      return new Request(n, t, id, sent, Instant.now(), r.statusCode(), r.headers().firstValue("X-Manifold-Code").orElse(null),
          r.statusCode() == 200 && m.find() ? m.group(1) : null, null);
    }));
  }

  /** Stops sending; requests already sent go on. */
  void stop() {
    ticks.shutdown();
  }

  /** Waits (bounded) for every request sent to end one way or the other; returns them all, in order. */
  List<Request> awaitAll() {
    stop();
    try {
      ticks.awaitTermination(5, TimeUnit.SECONDS);
      CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
          .get(PATIENCE.plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("the load's requests did not all end: " + e, e);
    }
    return inFlight.stream().map(CompletableFuture::join).sorted((a, b) -> Long.compare(a.seq(), b.seq())).toList();
  }

  /**
   * Whether the last {@code n} requests to end (and at least {@code 2n} in all) each took less than
   * {@code under}: the routers and dynos are past their cold start (JIT, first connections).
   */
  boolean warm(int n, Duration under) {
    List<Request> done = answered().stream().sorted((a, b) -> a.answered().compareTo(b.answered())).toList();
    return done.size() >= 2 * n && done.subList(done.size() - n, done.size()).stream()
        .allMatch(r -> r.status() == 200 && r.took().compareTo(under) < 0);
  }

  /** Requests ended so far (for a look while the load runs). */
  List<Request> answered() {
    return inFlight.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join).toList();
  }

  /** Requests by outcome: {@code 200}, {@code 503 H21}, ..., {@code no answer}. */
  static Map<String, Long> byOutcome(List<Request> requests) {
    Map<String, Long> m = new TreeMap<>();
    for (Request r : requests) {
      m.merge(r.outcome(), 1L, Long::sum);
    }
    return m;
  }

  @Override
  public void close() {
    ticks.shutdownNow();
  }
}
