package io.manifold.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.manifold.core.routing.RoutingTable;
import io.manifold.http.metrics.NodeMetrics;
import io.manifold.http.metrics.RouterMetrics;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.TLSProtocol.SslTlsInbound;
import org.apache.pekko.stream.TLSProtocol.SslTlsOutbound;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.TLSPlacebo;
import org.apache.pekko.util.ByteString;
import scala.jdk.javaapi.FutureConverters;
import scala.runtime.BoxedUnit;

/**
 * A router node's HTTP front: binds the {@link Proxy} on the router's host and port, with Pekko
 * HTTP set up as a proxy needs it (see {@link #serverConfig} and {@link #clientConfig}). Each
 * client connection's requests go through a {@link ClientRequests}, which tells a request when its
 * client leaves.
 */
public final class RouterFront {
  private RouterFront() {}

  /** Binds the front, with metrics of its own that nothing serves (see the other {@code bind}). */
  public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, RouterSettings settings, RoutingTable table) {
    return bind(system, settings, table, new RouterMetrics(new NodeMetrics(), table));
  }

  /** Binds the front; the stage completes with the binding, whose address has the real port. */
  public static CompletionStage<ServerBinding> bind(
      ActorSystem<?> system, RouterSettings settings, RoutingTable table, RouterMetrics metrics) {
    table.limits(settings.limits());
    Config base = system.settings().config();
    // Pekko's client carries only upgrades and WebSockets now (plain requests go on DynoWire):
    // one connection each, whose relay has an idle window of its own
    ClientConnectionSettings upgrades = ClientConnectionSettings.create(ConfigFactory.parseString(
        "pekko.http.client.parsing.modeled-header-parsing = off") // see DynoHeaders
        .withFallback(clientConfig(settings, settings.idleTimeout().plusSeconds(5))).withFallback(base));
    ClientConnectionSettings webSockets = ClientConnectionSettings.create(
        clientConfig(settings, settings.idleTimeout().plusSeconds(5)).withFallback(base));
    ServerSettings server = ServerSettings.create(serverConfig(settings).withFallback(base));
    RouterThreads threads = new RouterThreads(system, settings.threads());
    Proxy proxy = new Proxy(system, settings, table, upgrades, webSockets, metrics, threads);
    Flow<HttpRequest, HttpResponse, NotUsed> perConnection = Flow.fromGraph(new ClientRequests(proxy));
    return serve(system, settings, server, threads, proxy, perConnection, new FrontLog(system.classicSystem().eventStream(), metrics))
        .thenApply(binding -> {
          proxy.boundTo(binding.localAddress().getPort());
          return binding;
        });
  }

  /** Runs Pekko HTTP's server on a connection, on one router thread, with the bytes already read of it. */
  private interface PekkoServer {
    void serve(int thread, java.nio.channels.SocketChannel channel, ByteString alreadyRead);
  }

  /** Starts serving an accepted connection; when the system is stopping and refuses, the connection is closed. */
  private static void serveOn(Executor executor, java.nio.channels.SocketChannel channel,
      AtomicReference<NioTransport.Listener> listener, Runnable serve) {
    try {
      executor.execute(serve);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      NioTransport.quietly(channel);
      listener.get().closed();
    }
  }

  /**
   * The router's listener, on its own threads ({@link RouterThreads}) rather than Pekko's TCP: each
   * accepted connection goes to one of them, in turn. There a {@link ClientWire} reads its common
   * requests itself ({@code client-parser = router}), and hands the
   * connection to Pekko HTTP's server at the first request it does not read; otherwise Pekko's
   * server has it from the start. Pekko HTTP's server is its server layer (parsing, rendering,
   * pipelining, its error handler) joined with the handler flow and a {@link SocketStage}, as
   * {@code Http.newServerAt(..).bindFlow} would run it. As Pekko's binding does, the
   * layer gets the client's address (for {@code remote-address-attribute}), connections close
   * after the server's idle time-out, and at most {@code max-connections} are served at once (more
   * wait in the listen backlog). Unbinding stops accepting; connections already accepted go on
   * until they end, or until the actor system stops.
   */
  @SuppressWarnings("unchecked")
  private static CompletionStage<ServerBinding> serve(ActorSystem<?> system, RouterSettings settings, ServerSettings server,
      RouterThreads threads, Proxy proxy, Flow<HttpRequest, HttpResponse, NotUsed> handler, LoggingAdapter log) {
    Http http = Http.get(system);
    Materializer materializer = Materializer.matFromSystem(system);
    Executor executor = system.executionContext();
    BidiFlow<SslTlsOutbound, ByteString, ByteString, SslTlsInbound, NotUsed> plain =
        (BidiFlow<SslTlsOutbound, ByteString, ByteString, SslTlsInbound, NotUsed>) (BidiFlow<?, ?, ?, ?, ?>) TLSPlacebo.getInstance();
    scala.concurrent.duration.Duration idle = server.getTimeouts().idleTimeout();
    Duration idleTimeout = idle.isFinite() ? Duration.ofNanos(idle.toNanos()) : null;
    Attributes cancellation = server.getStreamCancellationDelay().toNanos() > 0
        ? Attributes.apply(new Attributes.CancellationStrategy(Attributes.cancellationStrategyAfterDelay(
            server.getStreamCancellationDelay(), Attributes.cancellationStrategyFailStage())))
        : Attributes.none();
    AtomicReference<NioTransport.Listener> listener = new AtomicReference<>();
    // Pekko HTTP's server on one connection, on router thread {@code thread}, given what was read of it already
    PekkoServer pekko = (thread, channel, alreadyRead) -> {
      Runnable closed = () -> listener.get().closed();
      try {
        SocketStage socket = SocketStage.accepted(threads.loop(thread), channel, idleTimeout, closed, alreadyRead);
        InetSocketAddress peer;
        try {
          peer = (InetSocketAddress) channel.getRemoteAddress();
        } catch (java.io.IOException e) {
          peer = null;
        }
        handler.join(http.serverLayer(server, Optional.ofNullable(peer), log).atop(plain).join(Flow.fromGraph(socket)))
            .withAttributes(cancellation.and(threads.dispatcher(thread)))
            .run(materializer);
      } catch (RuntimeException e) {
        log.error(e, "could not serve a connection");
        NioTransport.quietly(channel);
        closed.run();
      }
    };
    return threads.loop(0).listen(new InetSocketAddress(settings.host(), settings.port()), server.getBacklog(),
        server.getMaxConnections(),
        channel -> {
          int thread = threads.nextIndex();
          if (settings.readsClientsItself()) {
            ClientWire.serve(threads.loop(thread), channel, proxy, threads.dispatcher(thread), idleTimeout,
                () -> listener.get().closed(),
                (c, alreadyRead) -> serveOn(executor, c, listener, () -> pekko.serve(thread, c, alreadyRead)));
          } else {
            serveOn(executor, channel, listener, () -> pekko.serve(thread, channel, ByteString.emptyByteString()));
          }
        })
        .thenApply(l -> {
          listener.set(l);
          InetSocketAddress address = l.localAddress();
          return new ServerBinding(new org.apache.pekko.http.scaladsl.Http.ServerBinding(address,
              () -> FutureConverters.asScala(l.unbind().thenApply(x -> BoxedUnit.UNIT)),
              hardDeadline -> FutureConverters.asScala(l.unbind().thenApply(
                  x -> (org.apache.pekko.http.scaladsl.Http.HttpTerminated)
                      org.apache.pekko.http.scaladsl.Http.HttpServerTerminated$.MODULE$))));
        });
  }

  /**
   * The server side. Pekko reads one request ahead ({@code pipelining-limit = 2}), so that it
   * notices a client that closes its connection while its request waits; requests are still
   * handled one at a time per connection. The router's own timers bound every request, so Pekko's request time-out is
   * off: zero rather than {@code infinite}, which leaves its stage out of every connection (an
   * infinite one kept the stage, and its per-request bookkeeping, for nothing). Pekko's idle
   * time-out only closes connections that outlived every router timer. Bodies
   * stream through and are never held, so they need no size limit. Pekko's parser limits sit at
   * twice Heroku's so that the router sees a request over Heroku's limit and logs its H26 in the
   * app's log ({@link RequestChecks}); beyond them, {@link HerokuParsingErrors} answers. A HEAD
   * request goes to the dyno as HEAD (Pekko would turn it into a GET and drop the body itself).
   * Headers stay raw, as {@link DynoHeaders} says, but for those Pekko always parses (Host,
   * Connection, Content-*, Expect, Upgrade and WebSocket's), the only ones the router reads as
   * models: a client's headers reach the dyno byte for byte, not re-rendered from Pekko's model.
   */
  static Config serverConfig(RouterSettings s) {
    Duration longest = max(max(s.bootQueueTimeout(), s.requestTimeout()), s.idleTimeout()).plusSeconds(10);
    return ConfigFactory.parseString("""
        pekko.http.server {
          server-header = ""
          remote-address-attribute = on
          request-timeout = 0s
          idle-timeout = %dms
          pipelining-limit = 2
          transparent-head-requests = off
          parsing {
            max-content-length = infinite
            max-uri-length = %d
            max-header-name-length = %d
            max-header-value-length = %d
            max-header-count = %d
            illegal-header-warnings = off
            modeled-header-parsing = off
            error-handler = "io.manifold.http.HerokuParsingErrors"
          }
        }
        """.formatted(longest.toMillis(), 2 * s.maxRequestLine(), s.maxHeaderLine(), 2 * s.maxHeaderLine(),
        2 * s.maxHeaders()));
  }

  /**
   * Pekko's client side, towards dynos, for upgrades and WebSockets: no {@code User-Agent} of our
   * own, Heroku's 5 s connect time-out, and Heroku's response limits (a longer header or status
   * line fails the response: H25). {@code idle} closes a connection silent for that long: a margin
   * past the relay's own idle window, which ends it first. Plain requests go on the router's own
   * connections ({@link DynoWire}), whose keep-alive is {@code dyno-keep-alive}.
   */
  static Config clientConfig(RouterSettings s, Duration idle) {
    return ConfigFactory.parseString("""
        pekko.http.client {
          connecting-timeout = %dms
          user-agent-header = ""
          idle-timeout = %dms
          parsing {
            max-content-length = infinite
            max-header-name-length = %d
            max-header-value-length = %d
            max-header-count = 1000
            max-response-reason-length = %d
            illegal-header-warnings = off
          }
        }
        """.formatted(s.connectTimeout().toMillis(), idle.toMillis(), s.maxResponseHeader(), s.maxResponseHeader(),
        s.maxResponseStatusLine()));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
