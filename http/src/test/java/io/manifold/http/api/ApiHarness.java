package io.manifold.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.manifold.core.app.AppRegistry;
import io.manifold.core.app.Apps;
import io.manifold.core.app.LocalAppHost;
import io.manifold.core.dyno.DynoSettings;
import io.manifold.core.dyno.ProcessRuntime;
import io.manifold.core.logs.LogSettings;
import io.manifold.core.routing.RoundRobinPolicy;
import io.manifold.core.routing.Router;
import io.manifold.core.routing.RoutingTable;
import io.manifold.http.HttpDrainTransport;
import io.manifold.http.metrics.NodeMetrics;
import io.manifold.http.metrics.RouterMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * A Platform API on 127.0.0.1 over a real app registry whose dynos are real shell processes, and a
 * client for it. One per test class.
 */
final class ApiHarness implements AutoCloseable {
  static final String TOKEN = "test-token-0123456789";
  static final String USER = "api-tester@manifold.test";
  static final ObjectMapper JSON = new ObjectMapper();

  final ActorTestKit kit;
  final ProcessRuntime runtime = new ProcessRuntime(Duration.ofMillis(50), Duration.ofSeconds(5));
  final ActorRef<AppRegistry.Command> registry;
  final ServerBinding binding;
  final int port;
  /** The node's figures, which the console's router-stats read (a test records into them through {@link #router}). */
  final NodeMetrics metrics = new NodeMetrics();
  final RouterMetrics router = new RouterMetrics(metrics, new RoutingTable());
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record Response(int status, HttpHeaders headers, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (Exception e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  ApiHarness(Config overrides) throws Exception {
    Config config = overrides.withFallback(ConfigFactory.parseMap(Map.of("manifold.user", USER)))
        .withFallback(ConfigFactory.load("application-test"));
    kit = ActorTestKit.create("api", config);
    Config m = config.getConfig("manifold");
    DynoSettings dynos = DynoSettings.fromConfig(m).withStopGrace(Duration.ofSeconds(3));
    ActorRef<Router.Command> router = kit.spawn(Router.create(new RoutingTable(), a -> new RoundRobinPolicy()));
    LocalAppHost host = new LocalAppHost(kit.system(), AppRegistry.AppWiringFactory.of(runtime, dynos, router, "local"),
        LogSettings.fromConfig(m), new HttpDrainTransport());
    registry = kit.spawn(AppRegistry.create(host, m.getInt("apps.max"), Duration.ofSeconds(1)));
    ApiSettings settings = ApiSettings.fromConfig(m, TOKEN, "http://%s.localhost:5000/").withPort(0);
    Apps apps = new Apps(kit.system(), registry, host, Duration.ofSeconds(10));
    binding = ApiServer.bind(kit.system(), settings, apps, NodeInfo.single("local", metrics), null)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    port = binding.localAddress().getPort();
  }

  ApiHarness() throws Exception {
    this(ConfigFactory.empty());
  }

  /** A directory with a Procfile, to deploy. */
  static Path code(Path parent, String name, String procfile) throws Exception {
    Path dir = Files.createDirectories(parent.resolve(name));
    Files.writeString(dir.resolve("Procfile"), procfile);
    return dir;
  }

  Response call(String method, String path, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
    headers.forEach(b::header);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.headers(), r.body());
  }

  /** As the heroku CLI calls: the token and the version 3 Accept header. */
  Response api(String method, String path, String body, Map<String, String> extra) throws Exception {
    Map<String, String> h = new java.util.HashMap<>(Map.of(
        "Authorization", "Bearer " + TOKEN, "Accept", "application/vnd.heroku+json; version=3"));
    if (body != null) {
      h.put("Content-Type", "application/json");
    }
    h.putAll(extra);
    return call(method, path, body, h);
  }

  Response api(String method, String path, String body) throws Exception {
    return api(method, path, body, Map.of());
  }

  Response get(String path) throws Exception {
    return api("GET", path, null);
  }

  /** Creates an app and deploys {@code dir} to it. */
  JsonNode appWithCode(String name, Path dir) throws Exception {
    Response created = api("POST", "/apps", "{\"name\":\"" + name + "\"}");
    if (created.status() != 201) {
      throw new AssertionError(created.toString());
    }
    Response build = api("POST", "/apps/" + name + "/builds", "{\"source_blob\":{\"url\":\"" + dir.toUri() + "\"}}");
    if (build.status() != 201) {
      throw new AssertionError(build.toString());
    }
    return get("/apps/" + name).json();
  }

  @Override
  public void close() throws Exception {
    binding.unbind().toCompletableFuture().get(5, TimeUnit.SECONDS);
    kit.shutdownTestKit();
    runtime.close();
  }
}
