package io.manifold.http;

import io.manifold.core.dyno.Endpoint;
import io.manifold.core.routing.Route;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.impl.engine.server.UpgradeToOtherProtocolResponseHeader;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Host;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.TLSProtocol.SslTlsInbound;
import org.apache.pekko.stream.TLSProtocol.SslTlsOutbound;
import org.apache.pekko.stream.javadsl.AsPublisher;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.TLSPlacebo;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;

/**
 * An {@code Upgrade} other than WebSocket ({@code h2c}, or any protocol the app speaks), passed
 * through as Heroku's router passes it: the request goes to the dyno on a connection of its own,
 * with its {@code Upgrade} and {@code Connection} headers. If the dyno switches protocols (101),
 * the client gets the 101 and from then on the two connections are joined byte for byte; the
 * joined connection holds its dyno slot while open, is logged once with {@code status=101}, and
 * closes after Heroku's 55 s without a byte either way. If the dyno answers otherwise, its answer
 * goes back as any other and the connection closes after it.
 *
 * <p>The connection is Pekko's client layer over TCP, as a pooled dyno connection is, with one more
 * stage: {@link Split} reads the response head, and after a 101 head sends the bytes that follow
 * to the client instead of to the parser. Pekko HTTP's server has no public way to hand a
 * connection over to another protocol; its WebSocket and HTTP/2 upgrades use an internal response
 * header, {@code UpgradeToOtherProtocolResponseHeader}, which is used here too (a Pekko upgrade
 * that changes it fails {@code RouterPassThroughTest}).
 */
final class UpgradeRelay {
  private UpgradeRelay() {}

  /** Whether the request asks for an upgrade that is not a WebSocket (Pekko handles those itself). */
  static boolean asked(HttpRequest request) {
    return asked(request, webSocket(request));
  }

  /** As {@link #asked(HttpRequest)}, for a caller that read whether it is a WebSocket already. */
  static boolean asked(HttpRequest request, boolean webSocket) {
    return !webSocket && ModelHeaders.find(request, "upgrade") != null;
  }

  /** Pekko's server made it a WebSocket handshake. */
  static boolean webSocket(HttpRequest request) {
    return request.getAttribute(org.apache.pekko.http.javadsl.model.AttributeKeys.webSocketUpgrade).isPresent();
  }

  /** Opens a connection to {@code endpoint} and sends {@code request} on it. */
  @SuppressWarnings("unchecked")
  static Connection send(Proxy p, Endpoint endpoint, HttpRequest request) {
    BidiFlow<SslTlsOutbound, ByteString, ByteString, SslTlsInbound, NotUsed> plain =
        (BidiFlow<SslTlsOutbound, ByteString, ByteString, SslTlsInbound, NotUsed>) (BidiFlow<?, ?, ?, ?, ?>)
            TLSPlacebo.getInstance();
    BidiFlow<HttpRequest, ByteString, ByteString, HttpResponse, NotUsed> http = Http.get(p.system)
        .clientLayer(Host.create(endpoint.host(), endpoint.port()), p.upgradeClient, p.clientLog).atop(plain);
    // the client's bytes after a switch, and the dyno's bytes after its 101 head
    Pair<Subscriber<ByteString>, Source<ByteString, NotUsed>> toDyno = Source.<ByteString>asSubscriber().preMaterialize(p.materializer);
    Pair<Publisher<ByteString>, Sink<ByteString, NotUsed>> fromDyno =
        Sink.<ByteString>asPublisher(AsPublisher.WITHOUT_FANOUT).withAttributes(WebSocketRelay.UNTIL_ANSWERED)
            .preMaterialize(p.materializer);
    Connection c = new Connection(p, toDyno.first(), fromDyno.first());
    Flow<ByteString, ByteString, NotUsed> wire = Flow.of(ByteString.class)
        .merge(toDyno.second())
        .via(Tcp.get(p.system).outgoingConnection(InetSocketAddress.createUnresolved(endpoint.host(), endpoint.port()),
            Optional.empty(), List.of(), true, Optional.of(p.settings.connectTimeout()), Optional.of(p.settings.dynoKeepAlive())))
        .via(new StatusLineCheck(p.settings.maxResponseStatusLine()))
        .via(new Split(p.settings.maxResponseHeader() + p.settings.maxResponseStatusLine(), c::switched))
        .divertTo(Flow.<Chunk>create().map(Chunk::bytes).to(fromDyno.second()), Chunk::raw)
        .map(Chunk::bytes)
        .mapMaterializedValue(m -> NotUsed.getInstance());
    // the request stream stays open until the exchange is over, so that the connection does not
    // half-close under the dyno while it answers
    Pair<CompletableFuture<Optional<HttpRequest>>, CompletionStage<Done>> run = Source.single(request)
        .concatMat(Source.<HttpRequest>maybe(), Keep.right())
        .via(http.join(wire))
        .toMat(Sink.foreach(c.response::complete), Keep.both())
        .run(p.materializer);
    c.requests = run.first();
    run.second().whenCompleteAsync((done, failure) -> c.ended(failure), SameThread.INSTANCE);
    return c;
  }

  /** A dyno's bytes, for the parser or (after a 101 head) raw for the client. */
  record Chunk(boolean raw, ByteString bytes) {}

  /** An upgrade request's connection to its dyno. */
  static final class Connection implements DynoLease {
    private final Proxy p;
    private final Subscriber<ByteString> toDyno;
    private final Publisher<ByteString> fromDyno;
    private final CompletableFuture<HttpResponse> response = new CompletableFuture<>();
    private final AtomicBoolean over = new AtomicBoolean();
    private volatile CompletableFuture<Optional<HttpRequest>> requests;

    private Connection(Proxy p, Subscriber<ByteString> toDyno, Publisher<ByteString> fromDyno) {
      this.p = p;
      this.toDyno = toDyno;
      this.fromDyno = fromDyno;
    }

    @Override
    public CompletionStage<HttpResponse> response() {
      return response;
    }

    /** The dyno did not switch and its answer is over: the connection closes. */
    @Override
    public void release() {
      if (over.compareAndSet(false, true)) {
        unused();
        requests.complete(Optional.empty());
      }
    }

    @Override
    public void abort() {
      if (over.compareAndSet(false, true)) {
        unused();
        requests.completeExceptionally(new DynoConnections.ClosedWithoutResponse(null));
      }
    }

    private void unused() {
      Source.<ByteString>empty().runWith(Sink.fromSubscriber(toDyno), p.materializer);
      Source.fromPublisher(fromDyno).runWith(Sink.cancelled(), p.materializer);
    }

    /**
     * The dyno answered 101 (Pekko's client parser skips 1xx answers as interim, so {@link Split}
     * reads this head itself and the parser never sees it): its head becomes the response.
     */
    private void switched(ByteString head) {
      List<HttpHeader> headers = new ArrayList<>(8);
      String[] lines = head.utf8String().split("\r\n");
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.add(RawHeader.create(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
        }
      }
      response.complete(HttpResponse.create().withStatus(StatusCodes.SWITCHING_PROTOCOLS).withHeaders(headers));
    }

    private void ended(Throwable failure) {
      response.completeExceptionally(failure != null ? failure : new DynoConnections.ClosedWithoutResponse(null));
    }

    /**
     * The dyno switched protocols: the client's answer is its 101, and the connection becomes
     * the client's, byte for byte, until either side closes or both are silent for the idle window.
     */
    HttpResponse switchProtocols(Exchange ex, HttpResponse switched, Route route, Duration idle) {
      over.set(true);
      AtomicBoolean released = new AtomicBoolean();
      AtomicBoolean running = new AtomicBoolean();
      Runnable end = () -> {
        if (released.compareAndSet(false, true)) {
          requests.complete(Optional.empty());
          route.finished();
        }
      };
      Flow<ByteString, ByteString, NotUsed> joined = BidiFlow.<ByteString, ByteString>bidirectionalIdleTimeout(idle)
          .join(Flow.fromSinkAndSourceCoupled(Sink.fromSubscriber(toDyno), Source.fromPublisher(fromDyno)))
          .watchTermination((m, done) -> {
            running.set(true);
            done.whenCompleteAsync((d, e) -> end.run(), SameThread.INSTANCE);
            return m;
          });
      // after the 101 the client connection's request side ends by design, which looks like a
      // client that left; only a switch that never started (the client left first) ends here
      ex.onClientGone(() -> p.scheduler.scheduleOnce(Duration.ofSeconds(1), () -> {
        if (!running.get()) {
          Source.<ByteString>empty().runWith(Sink.fromSubscriber(toDyno), p.materializer);
          Source.fromPublisher(fromDyno).runWith(Sink.cancelled(), p.materializer);
          end.run();
        }
      }, p.executor));
      List<HttpHeader> headers = new ArrayList<>(8);
      for (HttpHeader h : switched.getHeaders()) {
        if (!HopByHop.isHopByHop(h) || h.is("upgrade")) {
          headers.add(h);
        }
      }
      headers.add(HttpHeader.parse("Connection", "Upgrade"));
      headers.add(UpgradeToOtherProtocolResponseHeader.apply(scalaFlow(joined)));
      return switched.withHeaders(headers);
    }

    @SuppressWarnings("unchecked")
    private static org.apache.pekko.stream.scaladsl.Flow<ByteString, ByteString, Object> scalaFlow(
        Flow<ByteString, ByteString, NotUsed> flow) {
      return (org.apache.pekko.stream.scaladsl.Flow<ByteString, ByteString, Object>)
          (org.apache.pekko.stream.scaladsl.Flow<?, ?, ?>) flow.asScala();
    }
  }

  /**
   * Reads the dyno's first response head (up to {@code maxHead} bytes): a 101 head goes to
   * {@code switched} and every byte after it is raw, for the client; any other head and all that
   * follows is for the parser.
   */
  static final class Split extends GraphStage<FlowShape<ByteString, Chunk>> {
    private final Inlet<ByteString> in = Inlet.create("UpgradeRelay.Split.in");
    private final Outlet<Chunk> out = Outlet.create("UpgradeRelay.Split.out");
    private final FlowShape<ByteString, Chunk> shape = FlowShape.of(in, out);
    private final int maxHead;
    private final java.util.function.Consumer<ByteString> switched;

    Split(int maxHead, java.util.function.Consumer<ByteString> switched) {
      this.maxHead = maxHead;
      this.switched = switched;
    }

    @Override
    public FlowShape<ByteString, Chunk> shape() {
      return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
      return new GraphStageLogic(shape) {
        private ByteString head = ByteString.emptyByteString();
        /** null while the head is read; then whether what follows is raw. */
        private Boolean raw;

        {
          setHandler(in, new AbstractInHandler() {
            @Override
            public void onPush() {
              ByteString chunk = grab(in);
              if (raw != null) {
                push(out, new Chunk(raw, chunk));
                return;
              }
              head = head.concat(chunk);
              int end = head.indexOfSlice(CRLFCRLF);
              if (end < 0 && head.size() <= maxHead) {
                pull(in);
                return;
              }
              ByteString all = head;
              head = ByteString.emptyByteString();
              if (end < 0 || !switching(all)) {
                raw = false;
                push(out, new Chunk(false, all));
                return;
              }
              raw = true;
              int cut = end + CRLFCRLF.size();
              switched.accept(all.take(cut));
              if (cut < all.size()) {
                push(out, new Chunk(true, all.drop(cut)));
              } else {
                pull(in);
              }
            }

            @Override
            public void onUpstreamFinish() {
              if (!head.isEmpty()) {
                emit(out, new Chunk(false, head));
              }
              completeStage();
            }
          });
          setHandler(out, new AbstractOutHandler() {
            @Override
            public void onPull() {
              if (!hasBeenPulled(in)) {
                pull(in);
              }
            }
          });
        }
      };
    }

    private static final ByteString CRLFCRLF = ByteString.fromString("\r\n\r\n");

    /** {@code HTTP/d.d 101}. */
    static boolean switching(ByteString head) {
      return head.size() >= 12 && head.apply(9) == '1' && head.apply(10) == '0' && head.apply(11) == '1'
          && head.slice(0, 5).utf8String().equals("HTTP/");
    }
  }
}
