package io.manifold.http;

import io.manifold.core.dyno.Endpoint;
import io.manifold.core.routing.HCode;
import io.manifold.core.routing.Route;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's exchange with the app's dynos, once it has a slot on one: send it, retry on
 * another dyno when the connection could not be made (the dyno never saw the request, so Heroku
 * tries the next), time out (H12) when no answer comes, and relay the answer back with its body
 * watched. Every slot taken is given back exactly once: when the answer's body is over, when the
 * dyno answers after the client already had its error page, or when the client goes away before
 * the body was sent.
 */
final class DynoCall {
  private static final Logger LOG = LoggerFactory.getLogger(DynoCall.class);
  private final Proxy p;
  private final Exchange ex;
  private final String app;
  /** The request as a plain dyno connection sends it; null for an upgrade or a WebSocket. */
  private final DynoRequest toDyno;
  /** The request as Pekko's client sends it, for an upgrade or a WebSocket; null otherwise. */
  private final HttpRequest outgoing;
  private final boolean retryable;
  /** An Upgrade other than WebSocket: it goes on a connection of its own ({@link UpgradeRelay}). */
  private final boolean upgrade;
  private final List<Route> tried = new ArrayList<>(2);
  /** The request time-out: not armed yet, armed (until {@link #h12At}), or over (answered, fired). */
  private volatile int h12;
  private volatile long h12At;
  /** The request's connection to its dyno (none for WebSockets). */
  private volatile DynoLease lease;

  DynoCall(Proxy p, Exchange ex, String app) {
    this.p = p;
    this.ex = ex;
    this.app = app;
    RequestEntity entity = ex.request.entity();
    this.retryable = entity.isStrict();
    boolean webSocket = UpgradeRelay.webSocket(ex.request);
    this.upgrade = UpgradeRelay.asked(ex.request, webSocket);
    RequestEntity body = entity;
    if (!entity.isStrict()) {
      // the body streams from the client: watch it for H28 (stalls) and H27 (breaks off), and
      // start the 30 s for the first response byte once it has all been sent, as Heroku does
      BodyWatch watch = new BodyWatch(p.settings.idleTimeout(), (how, bytes, cause) -> {
        switch (how) {
          case COMPLETED -> armH12();
          case IDLE -> ex.clientFault = HCode.H28;
          case FAILED -> ex.clientFault = HCode.H27;
          case CANCELLED -> { }
        }
      });
      Source<org.apache.pekko.util.ByteString, ?> data = entity.getDataBytes().via(watch);
      body = entity.getContentLengthOption().isPresent()
          ? HttpEntities.create(entity.getContentType(), entity.getContentLengthOption().getAsLong(), data)
          : HttpEntities.createChunked(entity.getContentType(), data);
    }
    if (upgrade || webSocket) {
      this.outgoing = p.outgoing(ex).withEntity(body);
      this.toDyno = null;
    } else {
      this.outgoing = null;
      this.toDyno = p.toDyno(ex, body);
    }
  }

  private static final int H12_UNARMED = 0;
  private static final int H12_ARMED = 1;
  private static final int H12_OVER = 2;
  private static final VarHandle H12;

  static {
    try {
      H12 = MethodHandles.lookup().findVarHandle(DynoCall.class, "h12", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Sends the request to {@code route}, whose slot the caller took. */
  void start(Route route) {
    ex.call = this;
    ex.onClientGone(() -> {
      if (ex.settle()) {
        cancelH12();
        p.outcomes.clientGone(ex); // the dyno goes on; its slot comes back when it answers
        ex.answer.complete(ErrorPages.applicationError(499, null));
      }
    });
    if (retryable) {
      armH12();
    }
    attempt(route);
  }

  private void attempt(Route route) {
    tried.add(route);
    ex.dyno = route.dyno().toString();
    ex.sentNanos = System.nanoTime();
    if (toDyno == null && !upgrade) {
      Endpoint e = route.endpoint();
      WebSocketRelay.start(p, ex, route, this, outgoing.withUri(outgoing.getUri().scheme("http").host(e.host()).port(e.port())));
      return;
    }
    DynoLease lease = upgrade ? UpgradeRelay.send(p, route.endpoint(), outgoing) : p.connections(route).send(toDyno);
    this.lease = lease;
    lease.response().whenCompleteAsync((response, failure) -> {
      try {
        answered(route, lease, response, failure);
      } catch (RuntimeException bug) {
        broke(lease, bug);
      }
    }, SameThread.INSTANCE);
  }

  /**
   * A bug of the router's broke the relay of an answer. The future would swallow it, and the
   * client would wait for ever; it gets H13 instead, the connection closes, and the bug is logged.
   * Whether the request's slot came back is not known here, so it is left as it is: a slot lost
   * is the lesser harm than a slot counted back twice.
   */
  private void broke(DynoLease lease, Throwable bug) {
    LOG.error("the router failed to relay the answer of {} to request {}; the client gets H13", ex.dyno, ex.requestId, bug);
    lease.abort();
    if (ex.settle()) {
      cancelH12();
      ex.answer.complete(p.outcomes.refused(ex, HCode.H13, HCode.H13.status(), null));
    }
  }

  /** The connection to {@code route} failed: quarantine it and try another; true if one was tried. */
  boolean retryElsewhere(Route route, Failures.Cause cause) {
    if (cause.beforeSending()) {
      boolean already = route.quarantined(System.nanoTime());
      route.quarantine(cause.code(), p.settings.quarantine());
      if (!already) {
        p.drainWhenQuarantineEnds(app, route);
      }
    }
    route.finished();
    if (cause.beforeSending() && retryable && !ex.settled()) {
      Route next = p.another(app, tried);
      if (next != null) {
        attempt(next);
        return true;
      }
    }
    return false;
  }

  void fail(Failures.Cause cause) {
    if (ex.settle()) {
      cancelH12();
      if (cause.code() == HCode.H27) {
        p.outcomes.clientGone(ex);
        ex.answer.complete(ErrorPages.applicationError(499, null));
      } else {
        ex.answer.complete(p.outcomes.refused(ex, cause.code(), cause.code().status(), cause.cause()));
      }
    }
  }

  private void answered(Route route, DynoLease c, HttpResponse response, Throwable failure) {
    if (failure != null) {
      Failures.Cause cause = Failures.classify(failure, ex);
      if (!retryElsewhere(route, cause)) {
        fail(cause);
      }
      return;
    }
    if (!ex.settle()) {
      // the client already has its answer (H12) or is gone (H27): the dyno is done with it now
      discard(response, c, route);
      return;
    }
    cancelH12();
    if (c instanceof UpgradeRelay.Connection switching && response.status().intValue() == 101) {
      p.outcomes.served(ex, null, null, 101, 0);
      ex.answer.complete(switching.switchProtocols(ex, response, route, p.settings.idleTimeout()));
      return;
    }
    ex.answer.complete(relay(response, c, route));
  }

  /** Reads the response's body to its end for nothing; then the connection and the slot come back, in that order. */
  private void discard(HttpResponse response, DynoLease c, Route route) {
    response.discardEntityBytes(p.materializer).completionStage().whenCompleteAsync((done, failure) -> {
      if (failure == null) {
        c.release();
      } else {
        c.abort();
      }
      route.finished();
    }, SameThread.INSTANCE);
  }

  /** Starts the request time-out (H12), once; {@link RequestTimeouts} finds it due. */
  void armH12() {
    if (h12 == H12_UNARMED) {
      h12At = System.nanoTime() + p.settings.requestTimeout().toNanos();
      H12.compareAndSet(this, H12_UNARMED, H12_ARMED);
    }
  }

  /** The answer came (or the request is over otherwise): no time-out any more. */
  void cancelH12() {
    h12 = H12_OVER;
  }

  /** Called by {@link RequestTimeouts}' sweep: fires the time-out if it is armed and due. */
  void checkH12(long nowNanos) {
    if (h12 == H12_ARMED && nowNanos - h12At >= 0 && H12.compareAndSet(this, H12_ARMED, H12_OVER) && ex.settle()) {
      // the client gets its answer now; the dyno goes on with the request, as on Heroku, for
      // one more idle window: then its connection is closed and its slot comes back
      ex.answer.complete(p.outcomes.refused(ex, HCode.H12, HCode.H12.status(), null));
      DynoLease c = lease;
      if (c != null) {
        p.scheduler.scheduleOnce(p.settings.idleTimeout(), c::abort, p.executor);
      }
    }
  }

  /**
   * Passes the dyno's response on, and writes the router line once its body has been sent. The
   * connection goes back for the next request once the body has been read to its end (or is
   * closed if it broke off), always before the slot, so that a request that gets the slot finds
   * the connection free.
   */
  private HttpResponse relay(HttpResponse response, DynoLease c, Route route) {
    List<HttpHeader> headers = new ArrayList<>(16);
    String via = null;
    for (HttpHeader h : ModelHeaders.of(response)) {
      if (HopByHop.isHopByHop(h)) {
        continue;
      }
      if (h.is("via")) {
        via = h.value();
      } else {
        if (h.is("set-cookie") && h.value().length() > p.settings.maxResponseCookie()) {
          discard(response, c, route);
          return p.outcomes.refused(ex, HCode.H25, HCode.H25.status(), "oversized cookie");
        }
        HttpHeader out = DynoHeaders.forClient(h);
        if (out != null) {
          headers.add(out);
        }
      }
    }
    headers.add(via == null ? p.ownVia : RawHeader.create("Via", via + ", " + p.settings.via()));
    int status = response.status().intValue();
    ResponseEntity entity = response.entity();
    if (entity.isStrict()) {
      c.release();
      route.finished();
      p.outcomes.served(ex, null, null, status, ((HttpEntity.Strict) entity).getData().size());
      return ModelHeaders.with(response, headers);
    }
    if (ex.request.method().equals(HttpMethods.HEAD) || status == 204 || status == 304) {
      // no body follows: the client's server never reads one. A connection that read none either
      // is free now, before the client has the answer and may ask again
      if (c.headIsWhole()) {
        c.release();
        route.finished();
      } else {
        discard(response, c, route);
      }
      p.outcomes.served(ex, null, null, status, 0);
      return ModelHeaders.with(response, headers, entity.getContentLengthOption().isPresent()
          ? HttpEntities.create(entity.getContentType(), entity.getContentLengthOption().getAsLong(), Source.empty())
          : HttpEntities.EMPTY);
    }
    AtomicBoolean over = new AtomicBoolean();
    BodyWatch watch = new BodyWatch(p.settings.idleTimeout(), (how, bytes, cause) -> {
      if (over.compareAndSet(false, true)) {
        if (how == BodyWatch.End.COMPLETED) {
          c.release();
        } else {
          c.abort();
        }
        route.finished();
        switch (how) {
          case COMPLETED -> p.outcomes.served(ex, null, null, status, bytes);
          case FAILED -> p.outcomes.served(ex, HCode.H18, "backend", HCode.H18.status(), bytes);
          case IDLE -> p.outcomes.served(ex, HCode.H15, null, HCode.H15.status(), bytes);
          case CANCELLED -> p.outcomes.served(ex, HCode.H27, "client", HCode.H27.status(), bytes);
        }
      }
    });
    // the client may go before Pekko even starts sending the body: then no stream ever reports,
    // and the rest of the body is not worth reading (it may never end)
    ex.onClientGone(() -> {
      if (over.compareAndSet(false, true)) {
        response.discardEntityBytes(p.materializer);
        c.abort();
        route.finished();
        p.outcomes.served(ex, HCode.H27, "client", HCode.H27.status(), 0);
      }
    });
    Source<org.apache.pekko.util.ByteString, ?> data = entity.getDataBytes().via(watch);
    ResponseEntity relayed;
    if (entity.getContentLengthOption().isPresent()) {
      relayed = HttpEntities.create(entity.getContentType(), entity.getContentLengthOption().getAsLong(), data);
    } else if (entity.isChunked()) {
      relayed = HttpEntities.createChunked(entity.getContentType(), data);
    } else {
      relayed = HttpEntities.createCloseDelimited(entity.getContentType(), data);
    }
    return ModelHeaders.with(response, headers, relayed);
  }
}
