package io.manifold.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.manifold.core.dyno.ProcessRuntime;
import io.manifold.testing.Examples;
import io.manifold.testing.Processes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import javax.tools.ToolProvider;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.event.Logging;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * A manifold of several nodes in this JVM (real Artery on 127.0.0.1, a shared H2 journal), an
 * app directory whose web process is the example's Web server compiled once (so that a dyno
 * starts in a fraction of a second) and whose workers are shell sleeps, and an API client for any
 * node.
 */
final class ClusterHarness implements AutoCloseable {
  static final String TOKEN = "cluster-test-token";
  static final ObjectMapper JSON = new ObjectMapper();
  final LocalManifold manifold;
  private final List<String> errors = new CopyOnWriteArrayList<>();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ClusterHarness(Path dir, int nodes, Map<String, Object> extra) {
    Map<String, Object> settings = new HashMap<>(Map.of(
        "manifold.nodes", nodes,
        "manifold.data-dir", dir.resolve("data").toString(),
        "manifold.router.port", 0, "manifold.api.port", 0, "manifold.api.token", TOKEN,
        "manifold.user", "cluster@manifold.test",
        "manifold.dyno.stop-grace", "3s"));
    settings.putAll(extra);
    Config config = ConfigFactory.parseMap(settings);
    manifold = LocalManifold.start(config);
    for (ManifoldNode n : manifold.nodes()) {
      n.system().eventStream().tell(new EventStream.Subscribe<>(Logging.Error.class, n.system().systemActorOf(
          Behaviors.receive(Logging.Error.class).onAnyMessage(e -> {
            errors.add(n.name() + " " + e.logSource() + ": " + e.message() + (e.cause() instanceof scala.util.control.NoStackTrace && e.cause().getMessage() == null ? "" : " (" + e.cause() + ")"));
            return Behaviors.same();
          }).build(), "test-errors", Props.empty())));
    }
  }

  /** Errors the nodes have logged since they started, as {@code node-N source: message (cause)}. */
  List<String> errors() {
    return List.copyOf(errors);
  }

  /** A directory with a Procfile: {@code web} the compiled example server, {@code worker} a shell sleep. */
  static Path app(Path dir, String name) throws Exception {
    return app(dir, name, "");
  }

  /** As {@link #app(Path, String)}, with more Procfile lines. */
  static Path app(Path dir, String name, String moreProcfileLines) throws Exception {
    Path app = Files.createDirectories(dir.resolve(name));
    int status = ToolProvider.getSystemJavaCompiler().run(null, null, null,
        "-d", app.toString(), Examples.hello().resolve("Web.java").toString());
    if (status != 0) {
      throw new IllegalStateException("Web.java did not compile");
    }
    Files.writeString(app.resolve("Procfile"), """
        web: exec java -Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp . Web
        worker: echo "$DYNO working"; exec sleep 1777
        """ + moreProcfileLines);
    return app;
  }

  JsonNode api(int node, String method, String path, String body) throws Exception {
    return call(node, method, path, body).body();
  }

  /** A call through node {@code node}'s API that must succeed (2xx); its answer. */
  JsonNode apiOk(int node, String method, String path, String body) throws Exception {
    Answer a = call(node, method, path, body);
    if (a.status() / 100 != 2) {
      throw new AssertionError(method + " " + path + " through node-" + node + ": " + a.status() + " " + a.body());
    }
    return a.body();
  }

  record Answer(int status, JsonNode body) {}

  private Answer call(int node, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + manifold.node(node).apiPort() + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + TOKEN).header("Accept", "application/vnd.heroku+json; version=3")
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body()));
  }

  /** A request through node {@code node}'s router. */
  HttpResponse<String> get(int node, String app, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + manifold.node(node).routerPort() + path))
        .header("Host", app + ".localhost").timeout(Duration.ofSeconds(40)).build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode awaitDynos(int node, String app, Predicate<JsonNode> condition, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = api(node, "GET", "/apps/" + app + "/dynos", null);
        if (last.isArray() && condition.test(last)) {
          return last;
        }
      } catch (Exception notYet) {
        // the API answers again once the registry is back
      }
      Processes.sleep(100);
    }
    throw new AssertionError(app + "'s dynos never got there; last: " + last);
  }

  static long up(JsonNode dynos) {
    long n = 0;
    for (JsonNode d : dynos) {
      if (d.get("state").asText().equals("up")) {
        n++;
      }
    }
    return n;
  }

  static Map<String, String> nodeOf(JsonNode dynos) {
    Map<String, String> m = new HashMap<>();
    dynos.forEach(d -> m.put(d.get("name").asText(), d.get("node").asText()));
    return m;
  }

  /**
   * What runs, by the nodes' own runtimes: {@code app/dyno} to the nodes whose runtime has a live
   * process for it (a name twice in a list, or a list of two nodes, is a dyno running twice).
   */
  Map<String, List<String>> running() {
    Map<String, List<String>> m = new TreeMap<>();
    for (ManifoldNode n : manifold.nodes()) {
      for (ProcessRuntime.Live l : n.processes()) {
        if (Processes.alive(l.pid())) {
          m.computeIfAbsent(l.app() + "/" + l.dyno(), k -> new ArrayList<>()).add(n.name());
        }
      }
    }
    return m;
  }

  /** {@code app/dyno@node} to the process id of each live dyno process. */
  Map<String, Long> pids() {
    Map<String, Long> m = new TreeMap<>();
    for (ManifoldNode n : manifold.nodes()) {
      for (ProcessRuntime.Live l : n.processes()) {
        if (Processes.alive(l.pid())) {
          m.put(l.app() + "/" + l.dyno() + "@" + n.name(), l.pid());
        }
      }
    }
    return m;
  }

  /** The names of the nodes that node {@code i} sees as members (any status but removed), sorted. */
  Set<String> members(int i) {
    Set<String> names = new TreeSet<>();
    for (Member m : Cluster.get(manifold.node(i).system()).state().getMembers()) {
      names.add(name(m.address()));
    }
    return names;
  }

  /** The names of the nodes that node {@code i} sees as unreachable. */
  Set<String> unreachable(int i) {
    Set<String> names = new TreeSet<>();
    for (Member m : Cluster.get(manifold.node(i).system()).state().getUnreachable()) {
      names.add(name(m.address()));
    }
    return names;
  }

  /** node-N for a member's address. */
  String name(Address a) {
    for (ManifoldNode n : manifold.nodes()) {
      if (n.address().equals(a)) {
        return n.name();
      }
    }
    return a.toString();
  }

  /** Waits (bounded, polling every 10 ms) until {@code condition} holds; returns when it did. */
  static Instant await(String what, Duration within, BooleanSupplier condition) {
    return await(what, within, Duration.ofMillis(10), condition);
  }

  /**
   * Waits (bounded) until {@code condition} holds, checking it every {@code every}: 10 ms for a
   * look at a node's state, 100 ms for a condition that calls the API (so that the polling does
   * not load the machine whose timings are measured).
   */
  static Instant await(String what, Duration within, Duration every, BooleanSupplier condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within.toSeconds() + " s: " + what);
      }
      Processes.sleep(every.toMillis());
    }
    return Instant.now();
  }

  /** How often conditions that call the API are checked. */
  static final Duration API_POLL = Duration.ofMillis(100);

  @Override
  public void close() {
    manifold.close();
  }
}
