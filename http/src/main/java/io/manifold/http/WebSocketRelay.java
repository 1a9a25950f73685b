package io.manifold.http;

import io.manifold.core.routing.Route;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.StreamSubscriptionTimeoutTerminationMode;
import org.apache.pekko.stream.javadsl.AsPublisher;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;

/**
 * A WebSocket through the router: the handshake goes to the dyno first, and only when the dyno
 * accepts it (101) does the client get its 101, with the two connections joined message for
 * message; a dyno that refuses the upgrade has its answer passed back as any other. The socket
 * holds its dyno slot while it is open, is logged once with {@code status=101} as Heroku's router
 * does, and closes after Heroku's 55 s without a message either way.
 */
final class WebSocketRelay {
  /**
   * Headers of the client's handshake that Pekko's WebSocket client makes itself for the dyno.
   * The client's {@code Host} goes through as it is (Pekko would otherwise name the dyno's address).
   */
  private static final java.util.Set<String> HANDSHAKE = java.util.Set.of(
      "upgrade", "connection", "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions",
      "sec-websocket-protocol");

  /**
   * A publisher of the dyno's side waits for the client's side until the dyno has answered (up to
   * the request time-out, H12), and is always either subscribed or cancelled then; Pekko's default
   * would cancel it after 5 s without a subscriber, under a dyno that answers slower than that.
   */
  static final Attributes UNTIL_ANSWERED = ActorAttributes.streamSubscriptionTimeout(
      java.time.Duration.ofSeconds(1), StreamSubscriptionTimeoutTerminationMode.noop());

  private WebSocketRelay() {}

  static void start(Proxy p, Exchange ex, Route route, DynoCall call, HttpRequest request) {
    WebSocketUpgrade upgrade = ex.request.getAttribute(AttributeKeys.webSocketUpgrade).orElseThrow();
    WebSocketRequest handshake = WebSocketRequest.create(request.getUri().scheme("ws"));
    for (HttpHeader h : request.getHeaders()) {
      if (!HANDSHAKE.contains(h.lowercaseName())) {
        handshake = handshake.addHeader(h);
      }
    }
    java.util.Iterator<String> protocols = upgrade.getRequestedProtocols().iterator();
    if (protocols.hasNext()) {
      handshake = handshake.requestSubprotocol(String.join(",", upgrade.getRequestedProtocols()));
    }

    // the dyno's side runs first; the client's side is plugged into it once the dyno said yes
    Pair<Subscriber<Message>, Source<Message, NotUsed>> toDyno = Source.<Message>asSubscriber().preMaterialize(p.materializer);
    Pair<Publisher<Message>, Sink<Message, NotUsed>> fromDyno =
        Sink.<Message>asPublisher(AsPublisher.WITHOUT_FANOUT).withAttributes(UNTIL_ANSWERED).preMaterialize(p.materializer);
    var dynoSide = Flow.fromSinkAndSourceCoupled(fromDyno.second(), toDyno.second());
    var pending = p.http.singleWebSocketRequest(handshake, dynoSide, ConnectionContext.noEncryption(),
        Optional.empty(), p.webSocketClient, p.clientLog, p.materializer);

    call.armH12();
    pending.first().whenCompleteAsync((reply, failure) -> {
      if (failure != null) {
        Failures.Cause cause = Failures.classify(failure, ex);
        route.finished();
        call.fail(cause);
        return;
      }
      if (!reply.isValid() || ex.settled()) {
        Source.<Message>empty().runWith(Sink.fromSubscriber(toDyno.first()), p.materializer);
        Source.fromPublisher(fromDyno.first()).runWith(Sink.cancelled(), p.materializer);
        route.finished();
        if (!reply.isValid() && ex.settle()) {
          // the dyno said no to the upgrade: its answer is the client's
          call.cancelH12();
          HttpResponse refused = reply.response();
          p.outcomes.served(ex, null, null, refused.status().intValue(), 0);
          ex.answer.complete(refused);
        }
        return;
      }
      if (!ex.settle()) {
        Source.<Message>empty().runWith(Sink.fromSubscriber(toDyno.first()), p.materializer);
        Source.fromPublisher(fromDyno.first()).runWith(Sink.cancelled(), p.materializer);
        route.finished();
        return;
      }
      call.cancelH12();
      AtomicBoolean over = new AtomicBoolean();
      AtomicBoolean running = new AtomicBoolean();
      Runnable release = () -> {
        if (over.compareAndSet(false, true)) {
          route.finished();
        }
      };
      Flow<Message, Message, NotUsed> bridge = Flow.fromSinkAndSourceCoupled(
          Sink.fromSubscriber(toDyno.first()), Source.fromPublisher(fromDyno.first()));
      Flow<Message, Message, NotUsed> clientSide = BidiFlow.<Message, Message>bidirectionalIdleTimeout(p.settings.idleTimeout())
          .join(bridge)
          .watchTermination((m, done) -> {
            running.set(true);
            done.whenCompleteAsync((d, e) -> release.run(), SameThread.INSTANCE);
            return m;
          });
      // after the 101 the connection's request side ends by design, which looks like a client
      // that left; only a socket that never started (the client left before its 101) is let go here
      ex.onClientGone(() -> p.scheduler.scheduleOnce(java.time.Duration.ofSeconds(1), () -> {
        if (!running.get()) {
          release.run();
        }
      }, p.executor));
      p.outcomes.served(ex, null, null, 101, 0);
      ex.answer.complete(reply.chosenSubprotocol()
          .map(sub -> upgrade.handleMessagesWith(clientSide, sub))
          .orElseGet(() -> upgrade.handleMessagesWith(clientSide)));
    }, SameThread.INSTANCE);
  }
}
