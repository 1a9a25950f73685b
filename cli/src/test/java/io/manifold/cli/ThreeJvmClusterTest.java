package io.manifold.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.manifold.testing.Examples;
import io.manifold.testing.Processes;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifold of three {@code manifold node} JVMs on 127.0.0.1, sharing one H2 file (or one
 * PostgreSQL database): one JVM is killed with {@code kill -9} (the first, which is the oldest
 * node, with the app registry and the shard coordinators, and which started the store process
 * that serves the H2 file to them all). Its dynos die with it, the store does not; the
 * survivors detect it, down it and start its dynos again, so that the formation is whole, served
 * by the survivors' routers, and no dyno runs twice. The second and third node start at the same
 * moment: with H2's AUTO_SERVER that was when the survivors lost the app (4 of 26 runs).
 */
@Tag("cluster")
class ThreeJvmClusterTest {
  private static final String TOKEN = "three-jvm-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int WEB = 4;
  private static final int WORKERS = 2;
  /** The worker's command: a sleep of a length nothing else on the machine sleeps. */
  private static final String WORKER_SLEEP = "sleep 1789";
  /** The store process's idle time in this test, so that it is seen to stop; the default is 30 s. */
  private static final Duration STORE_IDLE = Duration.ofSeconds(3);

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A node's JVM and everything it printed, with when it was read. */
  record Node(int number, int clusterPort, int routerPort, int apiPort, Process jvm, List<String> lines) {
    String name() {
      return "node-" + clusterPort;
    }

    String output() {
      return "--- node " + number + " (" + name() + ", exit " + (jvm.isAlive() ? "-" : jvm.exitValue()) + ") ---\n"
          + String.join("\n", lines);
    }
  }

  /** The nodes share the H2 file in their data directory, served by the store process. */
  @Test
  void aNodeKilledWithKillDashNineHasItsDynosStartedOnTheOthersAndNoneRunsTwice() throws Exception {
    killTheOldest(null);
  }

  /** The same on PostgreSQL (a database of its own), where {@code .ci/run} provides a server. */
  @Test
  @EnabledIfEnvironmentVariable(named = "MANIFOLD_PG_URL", matches = "postgres(ql)?://.*")
  void aNodeKilledWithKillDashNineOnPostgres() throws Exception {
    URI u = URI.create(System.getenv("MANIFOLD_PG_URL"));
    String name = "manifold_j" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String admin = "jdbc:postgresql://" + u.getHost() + ":" + u.getPort() + u.getPath();
    String[] login = u.getUserInfo().split(":", 2);
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(admin, login[0], login.length > 1 ? login[1] : "")) {
      c.createStatement().execute("CREATE DATABASE " + name);
    }
    try {
      killTheOldest(u.getScheme() + "://" + u.getUserInfo() + "@" + u.getHost() + ":" + u.getPort() + "/" + name);
    } finally {
      try (java.sql.Connection c = java.sql.DriverManager.getConnection(admin, login[0], login.length > 1 ? login[1] : "")) {
        c.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    }
  }

  /** @param database a PostgreSQL URL, or null for the H2 file shared in the data directory */
  private void killTheOldest(String database) throws Exception {
    Path app = app();
    List<Node> nodes = new ArrayList<>();
    Set<Long> dynoPids = new HashSet<>();
    try {
      Node first = start(1, null, database);
      nodes.add(first);
      await(first, "is up; the cluster has", Duration.ofSeconds(90));
      // the second and third at the same moment, both joining the first (either may be the
      // oldest survivor, where the registry goes)
      Node second = start(2, first, database);
      Node third = start(3, first, database);
      nodes.add(second);
      nodes.add(third);
      for (Node n : List.of(second, third)) {
        await(n, "is up; the cluster has", Duration.ofSeconds(90));
        await(first, "node 127.0.0.1:" + n.clusterPort() + " is up", Duration.ofSeconds(30));
      }
      long storePid = database == null ? storePid(dir.resolve("data")) : -1;
      if (database == null) {
        for (Node n : nodes) {
          assertTrue(n.lines().stream().anyMatch(l -> l.contains("served by the store process (pid " + storePid + " ")),
              "every node uses the one store process:\n" + n.output());
          assertTrue(n.jvm().pid() != storePid);
        }
      }

      api(second, "POST", "/apps", "{\"name\":\"trio\",\"manifold\":{\"dir\":" + JSON.writeValueAsString(app.toString()) + "}}");
      api(third, "PATCH", "/apps/trio/formation",
          "{\"updates\":[{\"type\":\"web\",\"quantity\":" + WEB + "},{\"type\":\"worker\",\"quantity\":" + WORKERS + "}]}");
      JsonNode before = awaitDynos(third, d -> whole(d, null), Duration.ofSeconds(120));
      Map<String, String> placement = placement(before);
      assertTrue(new HashSet<>(placement.values()).size() >= 2, "the dynos spread over the nodes: " + placement);
      assertTrue(placement.containsValue(first.name()), "the victim runs dynos of its own: " + placement);
      assertNoneTwice(nodes, "before the kill");
      dynoPids.addAll(dynos(ProcessHandle.current()).keySet());

      Node victim = first;
      Map<Long, String> victimsDynos = dynos(victim.jvm().toHandle());
      assertEquals(placement.values().stream().filter(victim.name()::equals).count(), victimsDynos.size(),
          "the victim's dyno processes: " + victimsDynos + " for " + placement);

      String store = database == null ? "the H2 file, served by the store process (pid " + storePid + ", started by node 1)" : "PostgreSQL";
      LocalTime killedAt = LocalTime.now();
      long killed = System.nanoTime();
      new ProcessBuilder("kill", "-9", Long.toString(victim.jvm().pid())).start().waitFor(5, TimeUnit.SECONDS);
      assertTrue(victim.jvm().waitFor(10, TimeUnit.SECONDS), "the victim died");
      assertEquals(137, victim.jvm().exitValue());

      // the victim's dynos die with it: the watchdog, not the survivors, sees to that
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (victimsDynos.keySet().stream().anyMatch(ThreeJvmClusterTest::running) && System.nanoTime() < deadline) {
        Processes.sleep(10);
      }
      List<Long> outlived = victimsDynos.keySet().stream().filter(ThreeJvmClusterTest::running).toList();
      assertTrue(outlived.isEmpty(), "dynos that outlived their node's JVM: " + outlived + " of " + victimsDynos);
      long orphansGone = millisSince(killed);
      if (database == null) {
        assertTrue(running(storePid), "the store process outlives the node that started it");
      }

      // through the API of the survivor that is not the oldest (the registry is on the oldest), then the other's
      JsonNode after = awaitDynos(third, d -> whole(d, victim.name()), Duration.ofSeconds(120));
      long whole = millisSince(killed);
      awaitDynos(second, d -> whole(d, victim.name()), Duration.ofSeconds(30));
      for (Node survivor : List.of(second, third)) {
        Set<String> served = new HashSet<>();
        for (int i = 0; i < 2 * WEB; i++) {
          HttpResponse<String> r = get(survivor, "/");
          assertEquals(200, r.statusCode(), "through " + survivor.name() + ": " + r.body());
          served.add(r.body().strip());
        }
        assertEquals(WEB, served.size(), "every web dyno answers through " + survivor.name() + "'s router: " + served);
      }
      long served = millisSince(killed);
      dynoPids.addAll(dynos(ProcessHandle.current()).keySet());
      assertNoneTwice(nodes, "after the kill");
      assertEquals(placement.keySet(), placement(after).keySet());

      System.out.println("[RESULT] 3 manifold node JVMs, " + WEB + " web + " + WORKERS + " worker dynos, state in " + store
          + "; kill -9 of the oldest node (" + victimsDynos.size() + " dynos): its dynos gone +" + orphansGone + " ms; "
          + event(second, victim, killedAt, "is unreachable") + event(second, victim, killedAt, "is downed")
          + event(second, victim, killedAt, "is removed from the cluster")
          + "formation whole again +" + whole + " ms; every web dyno served by both survivors' routers +" + served + " ms"
          + "; placement before " + new TreeMap<>(placement) + ", after " + new TreeMap<>(placement(after)));

      // the survivors leave the graceful way, and nothing is left behind
      for (Node survivor : List.of(second, third)) {
        new ProcessBuilder("kill", "-TERM", Long.toString(survivor.jvm().pid())).start().waitFor(5, TimeUnit.SECONDS);
      }
      for (Node survivor : List.of(second, third)) {
        assertTrue(survivor.jvm().waitFor(90, TimeUnit.SECONDS), "a node leaves on SIGTERM:\n" + survivor.output());
        assertEquals(0, survivor.jvm().exitValue(), survivor.output());
      }
      List<String> left = Processes.awaitNoDescendants(Duration.ofSeconds(10));
      assertTrue(left.isEmpty(), "processes left behind: " + left);
      if (database == null) {
        // the store process, not a descendant since its node died, stops once idle
        long left0 = System.nanoTime();
        long storeDeadline = left0 + STORE_IDLE.plusSeconds(15).toNanos();
        while (running(storePid) && System.nanoTime() < storeDeadline) {
          Processes.sleep(50);
        }
        assertTrue(!running(storePid), "the store process stops once no node is connected");
        System.out.println("[RESULT] the store process stopped " + millisSince(left0) + " ms after the last node left (idle "
            + STORE_IDLE.toSeconds() + " s)");
      }
    } catch (AssertionError | RuntimeException e) {
      nodes.forEach(n -> System.out.println(n.output()));
      threadDumps(nodes);
      stopAll(nodes, dynoPids);
      if (database == null) {
        stopStore(dir.resolve("data"));
        keep(dir.resolve("data"));
        journal(dir.resolve("data"));
      }
      throw e;
    } finally {
      stopAll(nodes, dynoPids);
      // only what is still a dyno of this test: a pid may have been given to another process since
      dynoPids.forEach(pid -> ProcessHandle.of(pid).filter(ThreeJvmClusterTest::isDyno).ifPresent(ProcessHandle::destroyForcibly));
    }
  }

  private static void stopAll(List<Node> nodes, Set<Long> dynoPids) throws InterruptedException {
    for (Node n : nodes) {
      n.jvm().toHandle().descendants().forEach(p -> dynoPids.add(p.pid()));
      n.jvm().destroyForcibly();
    }
    for (Node n : nodes) {
      n.jvm().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** On failure, once every node is gone: the H2 files (and H2's own trace of errors) in target/, for a closer look. */
  private static void keep(Path data) {
    try {
      Path kept = Files.createDirectories(Path.of("target", "three-jvm-data-" + System.currentTimeMillis()).toAbsolutePath());
      try (var files = Files.list(data)) {
        for (Path f : files.toList()) {
          Files.copy(f, kept.resolve(f.getFileName()));
        }
      }
      System.out.println("the H2 files: " + kept);
    } catch (Exception e) {
      System.out.println("the H2 files were not kept: " + e);
    }
  }

  /** On failure, once every node is gone: what the shared journal holds, event by event. */
  private static void journal(Path data) {
    String url = "jdbc:h2:file:" + data.resolve("manifold") + ";DATABASE_TO_UPPER=false;IFEXISTS=TRUE";
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "");
        java.sql.ResultSet r = c.createStatement().executeQuery(
            "SELECT \"ordering\", \"persistence_id\", \"sequence_number\", \"deleted\", \"write_timestamp\", \"event_ser_manifest\""
                + " FROM \"event_journal\" ORDER BY \"ordering\"")) {
      StringBuilder rows = new StringBuilder();
      int n = 0;
      while (r.next()) {
        n++;
        rows.append(r.getLong(1) + " " + r.getString(2) + " #" + r.getLong(3) + (r.getBoolean(4) ? " deleted" : "")
            + " at " + java.time.Instant.ofEpochMilli(r.getLong(5)) + " " + r.getString(6)).append('\n');
      }
      System.out.println("--- the journal: " + n + " events ---\n" + rows);
    } catch (Exception e) {
      System.out.println("no journal: " + e);
    }
  }

  /** The store process that serves the H2 file, as {@code store.port} in the data directory names it. */
  private static long storePid(Path data) throws Exception {
    for (String line : Files.readAllLines(data.resolve("store.port"), StandardCharsets.UTF_8)) {
      if (line.startsWith("pid=")) {
        return Long.parseLong(line.substring(4).strip());
      }
    }
    throw new AssertionError("no pid in store.port");
  }

  /** On failure, once every node is gone: the store process too (it would stop by itself once idle), so that the file can be read. */
  private static void stopStore(Path data) {
    try {
      long pid = storePid(data);
      // by /proc's command line: the JDK's is cut at 4 KiB, before the class name with this classpath
      Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
      boolean store = Files.exists(cmdline) && new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).contains("StoreProcess");
      ProcessHandle.of(pid).filter(p -> store).ifPresent(p -> {
        p.destroy();
        p.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(t -> null).join();
      });
      System.out.println("--- store.log ---\n" + Files.readString(data.resolve("store.log")));
    } catch (Exception e) {
      System.out.println("no store process to stop: " + e);
    }
  }

  /** On failure: what every live node's threads were doing, in target/, for whoever reads the failure. */
  private static void threadDumps(List<Node> nodes) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    for (Node n : nodes) {
      if (!n.jvm().isAlive() || !Files.isExecutable(jcmd)) {
        continue;
      }
      try {
        Path file = Path.of("target", "three-jvm-" + n.name() + "-threads.txt").toAbsolutePath();
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(n.jvm().pid()), "Thread.print")
            .redirectErrorStream(true).redirectOutput(file.toFile()).start();
        if (p.waitFor(30, TimeUnit.SECONDS)) {
          System.out.println("threads of " + n.name() + ": " + file);
        } else {
          p.destroyForcibly();
        }
      } catch (Exception e) {
        System.out.println("no thread dump of " + n.name() + ": " + e);
      }
    }
  }

  /** Starts {@code manifold node} in a JVM of its own with this test's classpath; joins {@code seed} unless null. */
  private Node start(int number, Node seed, String database) throws Exception {
    int clusterPort = freePort();
    int routerPort = freePort();
    int apiPort = freePort();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC",
        // Manifold's own warnings on stderr, as the jar has them (the test classpath would capture them)
        "-Dlogback.configurationFile=" + Main.class.getClassLoader().getResource("logback.xml"),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "node",
        "--cluster-port", Integer.toString(clusterPort), "--port", Integer.toString(routerPort), "--api-port", Integer.toString(apiPort),
        "--data-dir", dir.resolve("data").toString(), "--token", TOKEN, "--policy", "round-robin", "--stop-grace", "3s", "--no-color"));
    if (seed != null) {
      command.addAll(List.of("--join", "127.0.0.1:" + seed.clusterPort()));
    }
    if (database != null) {
      command.addAll(List.of("--database", database));
    }
    command.add(1, "-Dmanifold.db.store-idle-stop=" + STORE_IDLE.toSeconds() + "s");
    ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
    b.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    b.environment().put("XDG_DATA_HOME", dir.resolve("xdg-data").toString());
    b.environment().remove("MANIFOLD_API_TOKEN");
    Process jvm = b.start();
    List<String> lines = Processes.output(jvm, "node-" + number);
    return new Node(number, clusterPort, routerPort, apiPort, jvm, lines);
  }

  /** A directory with a Procfile: web the example's server, compiled once (it boots in a fraction of a second); worker a sleep. */
  private Path app() throws Exception {
    Path app = Files.createDirectories(dir.resolve("trio"));
    int status = ToolProvider.getSystemJavaCompiler().run(null, null, null,
        "-d", app.toString(), Examples.hello().resolve("Web.java").toString());
    assertEquals(0, status, "Web.java compiles");
    Files.writeString(app.resolve("Procfile"), """
        web: exec java -Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp . Web
        worker: exec %s
        """.formatted(WORKER_SLEEP));
    return app;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  private static void await(Node node, String fragment, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (node.lines().stream().anyMatch(l -> l.contains(fragment))) {
        return;
      }
      if (!node.jvm().isAlive()) {
        break;
      }
      Processes.sleep(50);
    }
    throw new AssertionError("node " + node.number() + " never printed '" + fragment + "' within " + within);
  }

  private JsonNode api(Node node, String method, String path, String body) throws Exception {
    return api(node, method, path, body, Duration.ofSeconds(30));
  }

  private JsonNode api(Node node, String method, String path, String body, Duration timeout) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.apiPort() + path))
        .timeout(timeout)
        .header("Authorization", "Bearer " + TOKEN).header("Accept", "application/vnd.heroku+json; version=3")
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + path + " on " + node.name() + ": " + r.statusCode() + " " + r.body());
    }
    return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
  }

  private HttpResponse<String> get(Node node, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.routerPort() + path))
        .header("Host", "trio.localhost").timeout(Duration.ofSeconds(40)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode awaitDynos(Node node, Predicate<JsonNode> condition, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    JsonNode last = null;
    Exception failed = null;
    while (System.nanoTime() < deadline) {
      try {
        // a short wait for each look: a request that reached the app's old home as its node died
        // waits out the API's ask time-out (10 s), while the next one finds the app recovered
        last = api(node, "GET", "/apps/trio/dynos", null, Duration.ofSeconds(1));
        if (last.isArray() && condition.test(last)) {
          return last;
        }
      } catch (Exception notYet) {
        // the API answers again once the app registry has moved to a survivor
        failed = notYet;
      }
      Processes.sleep(100);
    }
    throw new AssertionError("the formation never got there through " + node.name() + "; last: " + last + "; last failure: " + failed);
  }

  /** Every dyno of the formation up, each name once, none on {@code lost} (a node name, or null). */
  private static boolean whole(JsonNode dynos, String lost) {
    if (dynos.size() != WEB + WORKERS) {
      return false;
    }
    Set<String> names = new HashSet<>();
    for (JsonNode d : dynos) {
      if (!d.path("state").asText().equals("up") || !names.add(d.path("name").asText())
          || d.path("node").asText().equals(lost)) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, String> placement(JsonNode dynos) {
    Map<String, String> m = new HashMap<>();
    dynos.forEach(d -> m.put(d.path("name").asText(), d.path("node").asText()));
    return m;
  }

  /**
   * The dyno processes under {@code root}, by pid, with the dyno each belongs to ({@code DYNO} in
   * its environment): the web servers and the worker sleeps.
   */
  private static Map<Long, String> dynos(ProcessHandle root) {
    Map<Long, String> dynos = new HashMap<>();
    root.descendants().filter(ThreeJvmClusterTest::isDyno).filter(p -> running(p.pid()))
        .forEach(p -> dynos.put(p.pid(), dynoOf(p.pid()).orElse("?")));
    return dynos;
  }

  private static boolean isDyno(ProcessHandle p) {
    String line = p.info().commandLine().orElse("");
    return line.contains("-cp . Web") || line.contains(WORKER_SLEEP);
  }

  private static Optional<String> dynoOf(long pid) {
    try {
      for (String var : Files.readString(Path.of("/proc", Long.toString(pid), "environ"), StandardCharsets.UTF_8).split("\0")) {
        if (var.startsWith("DYNO=")) {
          return Optional.of(var.substring(5));
        }
      }
    } catch (Exception noProcFs) {
      // counted without a name
    }
    return Optional.empty();
  }

  /** As many web and worker processes as the formation has, and each dyno name once. */
  private static void assertNoneTwice(List<Node> nodes, String when) {
    List<String> names = new ArrayList<>();
    for (Node n : nodes) {
      if (n.jvm().isAlive()) {
        names.addAll(dynos(n.jvm().toHandle()).values());
      }
    }
    assertEquals(WEB + WORKERS, names.size(), when + ": dyno processes " + names);
    assertEquals(WEB + WORKERS, new HashSet<>(names).size(), when + ": each dyno once: " + names);
  }

  /** Alive and not a zombie (an orphan is reaped by whatever init the machine has, maybe late). */
  private static boolean running(long pid) {
    Optional<ProcessHandle> p = ProcessHandle.of(pid);
    if (p.isEmpty() || !p.get().isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
      int end = stat.lastIndexOf(')');
      return !(end >= 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z');
    } catch (Exception gone) {
      return false;
    }
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  /** When a survivor printed a membership change about the victim, after the kill: "unreachable +1712 ms; ". */
  private static String event(Node survivor, Node victim, LocalTime killedAt, String what) {
    for (String line : survivor.lines()) {
      int at = line.indexOf("manifold: ");
      if (at >= 0 && line.endsWith("node 127.0.0.1:" + victim.clusterPort() + " " + what)) {
        try {
          LocalTime t = LocalTime.parse(line.substring(at + 10, at + 22));
          if (!t.isBefore(killedAt)) {
            return what.replace("is ", "").replace(" from the cluster", "") + " +" + killedAt.until(t, ChronoUnit.MILLIS) + " ms; ";
          }
        } catch (RuntimeException notATime) {
          // another line
        }
      }
    }
    return "";
  }
}
