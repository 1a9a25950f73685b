package io.manifold.http;

import io.manifold.core.dyno.Endpoint;
import io.manifold.core.logs.LogChannel;
import io.manifold.core.routing.AppRoutes;
import io.manifold.core.routing.HCode;
import io.manifold.core.routing.Route;
import io.manifold.core.routing.RouterLine;
import io.manifold.core.routing.RoutingTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;
import scala.concurrent.ExecutionContextExecutor;

/**
 * The router's request path: Host -> app -> policy -> dyno, with Heroku's headers, time-outs,
 * error codes and log lines. Reads the {@link RoutingTable} without asking any actor, so that a
 * request costs no message round trip before it is on its way to a dyno.
 */
final class Proxy implements Function<HttpRequest, CompletionStage<HttpResponse>> {
  private final RouterSettings settings;
  private final RoutingTable table;
  private final Http http;
  private final HttpsConnectionContext https;
  private final ConnectionPoolSettings pool;
  private final Materializer materializer;
  private final org.apache.pekko.actor.typed.Scheduler scheduler;
  private final ExecutionContextExecutor executor;
  private final BootQueue bootQueue;
  private final LoggingAdapter clientLog;
  private volatile int port;

  Proxy(ActorSystem<?> system, RouterSettings settings, RoutingTable table, ConnectionPoolSettings pool) {
    this.settings = settings;
    this.table = table;
    this.http = Http.get(system);
    this.https = http.defaultClientHttpsContext();
    this.pool = pool;
    this.materializer = Materializer.matFromSystem(system);
    this.scheduler = system.scheduler();
    this.executor = system.executionContext();
    this.bootQueue = new BootQueue(table, scheduler, executor, settings.bootQueueMax());
    this.clientLog = system.classicSystem().log();
    this.port = settings.port();
  }

  /** The port the front listens on, once bound (for {@code X-Forwarded-Port}). */
  void boundTo(int boundPort) {
    this.port = boundPort;
  }

  @Override
  public CompletionStage<HttpResponse> apply(HttpRequest request) {
    String host = request.getHeader(org.apache.pekko.http.javadsl.model.headers.Host.class)
        .map(HttpHeader::value).orElse("");
    String clientIp = request.getAttribute(AttributeKeys.remoteAddress)
        .flatMap(RemoteAddress::getAddress).map(a -> a.getHostAddress()).orElse("127.0.0.1");
    String xff = request.getHeader("X-Forwarded-For").map(h -> h.value() + ", " + clientIp).orElse(clientIp);
    String requestId = RequestIds.pick(request.getHeader("X-Request-Id").map(HttpHeader::value).orElse(null));
    Exchange ex = new Exchange(request, host, requestId, xff);

    String app = AppHost.appName(host, settings.domain());
    if (app == null || table.routes(app) == null) {
      request.discardEntityBytes(materializer);
      return CompletableFuture.completedFuture(ErrorPages.noSuchApp(host, table.apps(), settings.domain(), port));
    }
    return dispatch(request, ex, app, true);
  }

  private CompletionStage<HttpResponse> dispatch(HttpRequest request, Exchange ex, String app, boolean mayWait) {
    AppRoutes routes = table.routes(app);
    if (routes == null) {
      request.discardEntityBytes(materializer);
      return CompletableFuture.completedFuture(ErrorPages.noSuchApp(ex.host, table.apps(), settings.domain(), port));
    }
    if (!routes.up().isEmpty()) {
      return forward(request, ex, routes, routes.choose());
    }
    if (routes.booting()) {
      if (!mayWait || !bootQueue.hasRoom()) {
        return refuse(request, ex, routes, HCode.H11);
      }
      long left = settings.bootQueueTimeout().toNanos() - (System.nanoTime() - ex.receivedNanos);
      return bootQueue.await(app, java.time.Duration.ofNanos(Math.max(0, left)),
          () -> dispatch(request, ex, app, false),
          () -> refuseNow(request, ex, table.routes(app) == null ? routes : table.routes(app), HCode.H20));
    }
    return refuse(request, ex, routes, routes.noWebDynos() ? HCode.H14 : HCode.H10);
  }

  private CompletionStage<HttpResponse> refuse(HttpRequest request, Exchange ex, AppRoutes routes, HCode code) {
    return CompletableFuture.completedFuture(refuseNow(request, ex, routes, code));
  }

  private HttpResponse refuseNow(HttpRequest request, Exchange ex, AppRoutes routes, HCode code) {
    request.discardEntityBytes(materializer);
    log(routes, ex.failed(code, code.status()));
    return ErrorPages.applicationError(code.status());
  }

  private CompletionStage<HttpResponse> forward(HttpRequest request, Exchange ex, AppRoutes routes, Route route) {
    ex.dyno = route.dyno().toString();
    route.started();
    HttpRequest outgoing = outgoing(request, ex, route.endpoint());
    ex.sentNanos = System.nanoTime();
    CompletableFuture<HttpResponse> answer = new CompletableFuture<>();
    AtomicBoolean answered = new AtomicBoolean();
    Cancellable timeout = scheduler.scheduleOnce(settings.requestTimeout(), () -> {
      if (answered.compareAndSet(false, true)) {
        // H12: the client gets its answer now; the dyno goes on with the request, as on Heroku
        log(routes, ex.failed(HCode.H12, HCode.H12.status()));
        answer.complete(ErrorPages.applicationError(HCode.H12.status()));
      }
    }, executor);
    http.singleRequest(outgoing, https, pool, clientLog).whenComplete((response, failure) -> {
      if (!answered.compareAndSet(false, true)) {
        route.finished();
        if (response != null) {
          response.discardEntityBytes(materializer);
        }
        return;
      }
      timeout.cancel();
      if (failure != null) {
        route.finished();
        HCode code = classify(failure);
        log(routes, ex.failed(code, code.status()));
        answer.complete(ErrorPages.applicationError(code.status()));
      } else {
        answer.complete(relay(response, ex, routes, route));
      }
    });
    return answer;
  }

  private HttpRequest outgoing(HttpRequest in, Exchange ex, Endpoint endpoint) {
    List<HttpHeader> headers = new ArrayList<>(16);
    String via = null;
    for (HttpHeader h : in.getHeaders()) {
      if (HopByHop.isHopByHop(h)) {
        continue;
      }
      switch (h.lowercaseName()) {
        case "x-request-id", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-port", "x-request-start" -> { }
        case "via" -> via = h.value();
        default -> headers.add(h);
      }
    }
    headers.add(RawHeader.create("X-Request-Id", ex.requestId));
    headers.add(RawHeader.create("X-Forwarded-For", ex.fwd));
    headers.add(RawHeader.create("X-Forwarded-Proto", "http"));
    headers.add(RawHeader.create("X-Forwarded-Port", Integer.toString(port)));
    headers.add(RawHeader.create("X-Request-Start", Long.toString(ex.receivedMillis)));
    headers.add(RawHeader.create("Via", via == null ? settings.via() : via + ", " + settings.via()));
    return in.withUri(in.getUri().scheme("http").host(endpoint.host()).port(endpoint.port())).withHeaders(headers);
  }

  /** Passes the dyno's response on, and writes the router line once its body has been sent. */
  private HttpResponse relay(HttpResponse response, Exchange ex, AppRoutes routes, Route route) {
    List<HttpHeader> headers = new ArrayList<>(16);
    String via = null;
    for (HttpHeader h : response.getHeaders()) {
      if (HopByHop.isHopByHop(h)) {
        continue;
      }
      if (h.is("via")) {
        via = h.value();
      } else {
        headers.add(h);
      }
    }
    headers.add(RawHeader.create("Via", via == null ? settings.via() : via + ", " + settings.via()));
    int status = response.status().intValue();
    ResponseEntity entity = response.entity();
    if (entity.isStrict()) {
      route.finished();
      log(routes, ex.served(null, null, status, ((HttpEntity.Strict) entity).getData().size()));
      return response.withHeaders(headers);
    }
    AtomicLong bytes = new AtomicLong();
    AtomicBoolean finished = new AtomicBoolean();
    Flow<ByteString, ByteString, ?> counting = Flow.of(ByteString.class)
        .map(chunk -> {
          bytes.addAndGet(chunk.size());
          return chunk;
        })
        .watchTermination((mat, done) -> {
          done.whenComplete((d, failure) -> {
            if (finished.compareAndSet(false, true)) {
              route.finished();
              log(routes, failure == null
                  ? ex.served(null, null, status, bytes.get())
                  : ex.served(HCode.H18, "backend", HCode.H18.status(), bytes.get()));
            }
          });
          return mat;
        });
    ResponseEntity relayed;
    if (entity.getContentLengthOption().isPresent()) {
      relayed = HttpEntities.create(entity.getContentType(), entity.getContentLengthOption().getAsLong(), entity.getDataBytes().via(counting));
    } else if (entity.isChunked()) {
      relayed = HttpEntities.createChunked(entity.getContentType(), entity.getDataBytes().via(counting));
    } else {
      relayed = HttpEntities.createCloseDelimited(entity.getContentType(), entity.getDataBytes().via(counting));
    }
    return response.withHeaders(headers).withEntity(relayed);
  }

  private static HCode classify(Throwable failure) {
    Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    String text = String.valueOf(t.getMessage()) + (t.getCause() == null ? "" : " " + t.getCause());
    if (t instanceof org.apache.pekko.stream.BufferOverflowException) {
      return HCode.H11;
    }
    if (text.contains("Connect timeout")) {
      return HCode.H19;
    }
    if (text.contains("Connection refused")) {
      return HCode.H21;
    }
    return HCode.H13;
  }

  private static void log(AppRoutes routes, RouterLine line) {
    routes.logs().tell(new LogChannel.Publish(line.toLogLine(Instant.now())));
  }
}
