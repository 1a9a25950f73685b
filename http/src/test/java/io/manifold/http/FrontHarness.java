package io.manifold.http;

import com.typesafe.config.ConfigFactory;
import io.manifold.core.dyno.DynoName;
import io.manifold.core.dyno.DynoState;
import io.manifold.core.dyno.DynoStatus;
import io.manifold.core.dyno.Endpoint;
import io.manifold.core.routing.AppRoutes;
import io.manifold.core.routing.RoundRobinPolicy;
import io.manifold.core.routing.Router;
import io.manifold.core.routing.RoutingTable;
import io.manifold.http.metrics.NodeMetrics;
import io.manifold.http.metrics.RouterMetrics;
import io.manifold.testing.LogProbe;
import io.manifold.testing.Processes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * A router front on port 0 with an app {@code shop}, its router actor and table, a probe for its
 * log channel, real backends, and clients: the JDK's HTTP client and raw sockets for what a
 * well-behaved client would never send. One per test; {@link #close} unbinds and stops backends.
 */
final class FrontHarness implements AutoCloseable {
  /** HTTP/1.1: the JDK's default (HTTP/2) offers every request an h2c upgrade, which the router passes on. */
  static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  final ActorTestKit kit;
  final RoutingTable table = new RoutingTable();
  final ActorRef<Router.Command> router;
  final LogProbe logs;
  final Backends backends = new Backends();
  final NodeMetrics node = new NodeMetrics();
  final RouterMetrics metrics = new RouterMetrics(node, table);
  private ServerBinding binding;
  int port;

  FrontHarness(ActorTestKit kit) {
    this.kit = kit;
    this.router = kit.spawn(Router.create(table, app -> new RoundRobinPolicy()));
    this.logs = new LogProbe(kit);
  }

  static RouterSettings defaults() {
    return RouterSettings.fromConfig(ConfigFactory.load().getConfig("manifold"));
  }

  FrontHarness front(UnaryOperator<RouterSettings> change) throws Exception {
    binding = RouterFront.bind(kit.system(), change.apply(defaults()).withPort(0), table, metrics)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    port = binding.localAddress().getPort();
    router.tell(new Router.RegisterApp("shop", logs.ref()));
    await(() -> table.routes("shop") != null, "the app is registered");
    return this;
  }

  void dyno(String name, DynoState state, Integer backendPort) {
    dynoAt(name, state, backendPort == null ? null : new Endpoint("127.0.0.1", backendPort));
  }

  /** A dyno at {@code endpoint}, whose host may be a name. */
  void dynoAt(String name, DynoState state, Endpoint endpoint) {
    router.tell(new Router.DynoChanged(new DynoStatus("shop", DynoName.parseOrNull(name), state, Instant.now(), endpoint, 1, "web")));
  }

  void awaitUp(int up) {
    await(() -> table.routes("shop") != null && table.routes("shop").up().size() == up, up + " dynos up");
  }

  AppRoutes routes() {
    return table.routes("shop");
  }

  /** Waits (bounded, 10 s) until the condition holds. */
  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never happened: " + what);
      }
      Processes.sleep(10);
    }
  }

  HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).header("Host", "shop.localhost:" + port);
    headers.forEach(b::header);
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return get(path, Map.of());
  }

  CompletableFuture<HttpResponse<String>> getAsync(String path) {
    return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).header("Host", "shop.localhost:" + port).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A raw connection to the router. */
  Socket connect() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    s.setSoTimeout(10_000);
    return s;
  }

  /** Sends {@code head} (CRLF line ends added) and reads what comes back until the router closes or 10 s pass. */
  String raw(String... lines) throws IOException {
    try (Socket s = connect()) {
      s.getOutputStream().write((String.join("\r\n", lines) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return readSome(s.getInputStream());
    }
  }

  /** Reads until end of stream or a read time-out; what was read. */
  static String readSome(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) != -1; ) {
        out.write(buf, 0, n);
        String sofar = out.toString(StandardCharsets.ISO_8859_1);
        int headEnd = sofar.indexOf("\r\n\r\n");
        if (headEnd > 0 && complete(sofar, headEnd)) {
          break;
        }
      }
    } catch (SocketTimeoutException | java.net.SocketException stop) {
      // what came is what there is
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  private static boolean complete(String text, int headEnd) {
    String head = text.substring(0, headEnd).toLowerCase();
    int at = head.indexOf("content-length: ");
    if (at < 0) {
      return false;
    }
    int end = head.indexOf("\r\n", at);
    long length = Long.parseLong(head.substring(at + 16, end < 0 ? head.length() : end).trim());
    return text.length() - headEnd - 4 >= length;
  }

  /** The next router line. */
  String line() {
    return logs.await("heroku[router]: ").message();
  }

  @Override
  public void close() throws Exception {
    if (binding != null) {
      binding.unbind().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
    backends.close();
  }
}
