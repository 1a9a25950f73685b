package io.manifold.http;

import io.manifold.core.routing.AppRoutes;
import io.manifold.core.routing.Backlog;
import io.manifold.core.routing.HCode;
import io.manifold.core.routing.Route;
import io.manifold.core.routing.RoutingTable;
import io.manifold.http.metrics.RouterMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.stream.Materializer;
import scala.concurrent.ExecutionContextExecutor;

/**
 * The router's request path: Host -> app -> Heroku's checks -> maintenance -> a dyno with a free
 * slot, or the app's backlog, or the boot queue -> {@link DynoCall}. Reads the
 * {@link RoutingTable} without asking any actor, so that a request costs no message round trip
 * before it is on its way to a dyno.
 */
final class Proxy {
  final ActorSystem<?> system;
  final RouterSettings settings;
  final RoutingTable table;
  final Http http;
  final ClientConnectionSettings upgradeClient;
  final ClientConnectionSettings webSocketClient;
  final Materializer materializer;
  final org.apache.pekko.actor.typed.Scheduler scheduler;
  final ExecutionContextExecutor executor;
  final LoggingAdapter clientLog;
  final Outcomes outcomes;
  final BootQueue bootQueue;
  /** The request time-out (H12) of every request in flight here. */
  final RequestTimeouts timeouts;
  private final RouterMetrics metrics;
  private final RouterLogs routerLogs;
  /** The threads that carry this router's connections, to clients and to dynos. */
  private final RouterThreads threads;
  /** What a dyno connection on each router thread needs: the same for every dyno. */
  private final DynoWire.Setting[] wires;
  /** Keep-alive connections per up dyno; dropped (and closed) when the dyno leaves the table. */
  private final Map<Route, DynoConnections> connections = new ConcurrentHashMap<>();
  private volatile int port;
  /** This router's {@code Via}, for a request that came without one. */
  final HttpHeader ownVia;

  Proxy(ActorSystem<?> system, RouterSettings settings, RoutingTable table, ClientConnectionSettings upgradeClient,
      ClientConnectionSettings webSocketClient, RouterMetrics metrics, RouterThreads threads) {
    this.system = system;
    this.settings = settings;
    this.table = table;
    this.http = Http.get(system);
    this.upgradeClient = upgradeClient;
    this.webSocketClient = webSocketClient;
    this.materializer = Materializer.matFromSystem(system);
    this.scheduler = system.scheduler();
    this.executor = system.executionContext();
    this.clientLog = system.classicSystem().log();
    this.metrics = metrics;
    this.threads = threads;
    this.wires = DynoConnections.wires(settings, materializer, threads);
    this.routerLogs = new RouterLogs(scheduler, executor, app -> table.routes(app) != null);
    this.outcomes = new Outcomes(metrics, routerLogs);
    this.timeouts = new RequestTimeouts(scheduler, executor, settings.requestTimeout());
    this.bootQueue = new BootQueue(table, scheduler, executor, settings.bootQueueMax());
    this.port = settings.port();
    this.ownVia = RawHeader.create("Via", settings.via());
    metrics.bootQueue(bootQueue::waiting);
    watchTable(Map.of());
  }

  /** The port the front listens on, once bound (for {@code X-Forwarded-Port}). */
  void boundTo(int boundPort) {
    this.port = boundPort;
  }

  /**
   * At each change of the table: dynos that came up take requests from their app's backlog; the
   * backlog of an app left without up dynos (or gone) is routed again at once; the metrics of apps
   * that are gone are dropped, and the connections to dynos that left are closed.
   */
  private void watchTable(Map<String, AppRoutes> before) {
    table.nextChange().thenRunAsync(() -> {
      Map<String, AppRoutes> now = table.all();
      watchTable(now);
      now.values().forEach(r -> {
        if (r.up().isEmpty()) {
          r.backlog().evictAll();
        } else {
          r.backlog().drain(null);
        }
      });
      before.forEach((app, r) -> {
        if (!now.containsKey(app)) {
          r.backlog().evictAll();
          metrics.forget(app);
          routerLogs.forget(app);
        }
      });
      connections.entrySet().removeIf(e -> {
        if (e.getKey().retired()) {
          e.getValue().close();
          return true;
        }
        return false;
      });
    }, (Executor) executor);
  }

  /** The router's connections to {@code route}'s dyno. */
  DynoConnections connections(Route route) {
    DynoConnections c = connections.get(route);
    if (c == null) {
      c = connections.computeIfAbsent(route, r -> new DynoConnections(r.endpoint(), settings, threads, wires));
      if (route.retired()) {
        // it left the table while we looked; the table watch may already have passed it
        connections.remove(route, c);
        c.close();
      }
    }
    return c;
  }

  CompletionStage<HttpResponse> handle(HttpRequest request, ClientConnection connection) {
    org.apache.pekko.http.javadsl.model.headers.Host hostHeader =
        ModelHeaders.find(request, org.apache.pekko.http.javadsl.model.headers.Host.class);
    String host = hostHeader == null ? "" : hostHeader.value();
    String clientIp = connection.clientIp(() -> request.getAttribute(AttributeKeys.remoteAddress)
        .flatMap(RemoteAddress::getAddress).map(a -> a.getHostAddress()).orElse("127.0.0.1"));
    String forwarded = ModelHeaders.value(request, "x-forwarded-for");
    String xff = forwarded == null ? clientIp : forwarded + ", " + clientIp;
    String requestId = RequestIds.pick(ModelHeaders.value(request, "x-request-id"));
    String query = request.getUri().rawQueryString().orElse(null);
    String path = request.getUri().path() + (query == null ? "" : "?" + query);
    Exchange ex = new Exchange(request, host, path, requestId, xff);
    connection.begin(ex);

    String app = AppHost.appName(host, settings.domain());
    AppRoutes routes = app == null ? null : table.routes(app);
    if (routes == null) {
      request.discardEntityBytes(materializer);
      return CompletableFuture.completedFuture(ErrorPages.noSuchApp(host, table.apps(), settings.domain(), port));
    }
    ex.routes = routes;
    RequestChecks.Refusal bad = RequestChecks.check(request, ex.method, path, settings);
    if (bad != null) {
      refuse(ex, HCode.H26, bad.status(), bad.cause());
    } else if (routes.settings().maintenance()) {
      refuse(ex, HCode.H80, HCode.H80.status(), null);
    } else {
      ex.onClientGone(() -> {
        if (ex.settle()) {
          outcomes.clientGone(ex);
          ex.answer.complete(ErrorPages.applicationError(499, null));
        }
      });
      dispatch(ex, app, true);
    }
    return ex.answer;
  }

  private void dispatch(Exchange ex, String app, boolean mayWait) {
    AppRoutes routes = table.routes(app);
    if (routes == null) {
      if (ex.settle()) {
        ex.request.discardEntityBytes(materializer);
        ex.answer.complete(ErrorPages.noSuchApp(ex.host, table.apps(), settings.domain(), port));
      }
      return;
    }
    ex.routes = routes;
    if (!routes.up().isEmpty()) {
      Backlog backlog = routes.backlog();
      Route route = backlog.admit(routes.policy(), routes.up());
      if (route != null) {
        new DynoCall(this, ex, app).start(route);
      } else if (backlog.allQuarantined(routes.up())) {
        Route last = routes.up().get(0);
        refuse(ex, last.quarantineCode() == null ? HCode.H21 : last.quarantineCode(), HCode.H21.status(), null);
      } else {
        new BacklogWait(ex, app, backlog).join();
      }
      return;
    }
    if (routes.booting()) {
      if (!mayWait || !bootQueue.hasRoom()) {
        refuse(ex, HCode.H11, HCode.H11.status(), null);
        return;
      }
      long left = settings.bootQueueTimeout().toNanos() - (System.nanoTime() - ex.receivedNanos);
      bootQueue.await(app, Duration.ofNanos(Math.max(0, left)), ex,
          () -> dispatch(ex, app, false),
          () -> refuse(ex, HCode.H20, HCode.H20.status(), null),
          () -> {
            if (ex.settle()) {
              outcomes.clientGone(ex);
              ex.answer.complete(ErrorPages.applicationError(499, null));
            }
          });
      return;
    }
    refuse(ex, routes.noWebDynos() ? HCode.H14 : HCode.H10, HCode.H10.status(), null);
  }

  private void refuse(Exchange ex, HCode code, int status, String cause) {
    if (ex.settle()) {
      ex.request.discardEntityBytes(materializer);
      ex.answer.complete(outcomes.refused(ex, code, status, cause));
    }
  }

  /**
   * When {@code route}'s quarantine ends, its free slots go to requests waiting in its app's
   * backlog at once. A slot that frees hands itself to the backlog, but a quarantine that ends
   * frees none: without this, requests would wait for another dyno's slot, or for H12, while this
   * dyno is idle. One timer per quarantine (not per refused request), a moment after it ends.
   */
  void drainWhenQuarantineEnds(String app, Route route) {
    scheduler.scheduleOnce(settings.quarantine().plusMillis(50), () -> {
      AppRoutes routes = table.routes(app);
      if (routes != null && !route.retired()) {
        routes.backlog().drain(route);
      }
    }, executor);
  }

  /** Another up dyno of {@code app} with a free slot, not among {@code tried}, its slot taken; or null. */
  Route another(String app, List<Route> tried) {
    AppRoutes routes = table.routes(app);
    if (routes == null) {
      return null;
    }
    int limit = table.limits().perDyno();
    long now = System.nanoTime();
    for (Route r : routes.up()) {
      if (!tried.contains(r) && !r.quarantined(now) && r.tryStart(limit)) {
        return r;
      }
    }
    return null;
  }

  /** The request as a plain dyno connection sends it ({@link RequestHead#proxied}), with {@code body}. */
  DynoRequest toDyno(Exchange ex, org.apache.pekko.http.javadsl.model.RequestEntity body) {
    HttpRequest in = ex.request;
    return new DynoRequest(RequestHead.proxied(ex, body, port, settings.via()), body,
        in.method().equals(org.apache.pekko.http.javadsl.model.HttpMethods.HEAD),
        in.protocol().equals(org.apache.pekko.http.javadsl.model.HttpProtocols.HTTP_1_0));
  }

  /**
   * The request as Pekko's client sends it to the dyno, for an upgrade or a WebSocket: Heroku's
   * headers in, hop-by-hop headers out (but those that ask for the upgrade), its target in origin
   * form.
   */
  HttpRequest outgoing(Exchange ex) {
    HttpRequest in = ex.request;
    List<HttpHeader> headers = new ArrayList<>(16);
    String clientVia = null;
    boolean upgrade = UpgradeRelay.asked(in);
    for (HttpHeader h : ModelHeaders.of(in)) {
      switch (HerokuHeaders.of(h, upgrade)) {
        case PASS -> headers.add(h);
        case VIA -> clientVia = h.value();
        case DROP -> { }
      }
    }
    HerokuHeaders.added(ex, port, settings.via(), clientVia, (name, value) -> headers.add(RawHeader.create(name, value)));
    // origin form (path and query), as a request to a server is sent; Pekko's server gives the
    // request its absolute URI, which a client connection would send as it is
    return ModelHeaders.with(in, headers).withUri(in.getUri().toRelative());
  }

  /**
   * A request in its app's backlog: it goes to the first dyno that frees up, gives up at the
   * request time-out counted from its arrival (H12), or leaves when its client does (H27).
   */
  private final class BacklogWait implements Backlog.Waiter {
    private final Exchange ex;
    private final String app;
    private final Backlog backlog;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile Cancellable timer;

    BacklogWait(Exchange ex, String app, Backlog backlog) {
      this.ex = ex;
      this.app = app;
      this.backlog = backlog;
    }

    void join() {
      long left = settings.requestTimeout().toNanos() - (System.nanoTime() - ex.receivedNanos);
      timer = scheduler.scheduleOnce(Duration.ofNanos(Math.max(0, left)), this::expire, executor);
      ex.onClientGone(this::gone);
      if (!backlog.join(this)) {
        if (done.compareAndSet(false, true)) {
          timer.cancel();
        }
        refuse(ex, HCode.H11, HCode.H11.status(), null); // Heroku: backlog too deep
        return;
      }
      // the app may have lost its last up dyno between the caller's look and the join, before the
      // table watch emptied the backlog: then this request is routed again by itself
      AppRoutes now = table.routes(app);
      if ((now == null || now.up().isEmpty()) && backlog.leave(this)) {
        evicted();
      }
    }

    @Override
    public void evicted() {
      if (done.compareAndSet(false, true)) {
        timer.cancel();
        dispatch(ex, app, true);
      }
    }

    @Override
    public boolean take(Route route) {
      if (!done.compareAndSet(false, true)) {
        return false;
      }
      Cancellable t = timer;
      if (t != null) {
        t.cancel();
      }
      // off the thread that freed the slot: that one is finishing another request
      executor.execute(() -> new DynoCall(Proxy.this, ex, app).start(route));
      return true;
    }

    private void expire() {
      if (done.compareAndSet(false, true)) {
        backlog.leave(this);
        refuse(ex, HCode.H12, HCode.H12.status(), null);
      }
    }

    private void gone() {
      if (done.compareAndSet(false, true)) {
        timer.cancel();
        backlog.leave(this);
        if (ex.settle()) {
          outcomes.clientGone(ex);
          ex.answer.complete(ErrorPages.applicationError(499, null));
        }
      }
    }
  }
}
