package io.manifold.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.core.InputException;
import io.manifold.testing.Processes;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store process that serves a data directory's H2 file to the node processes of a machine:
 * nodes that start at the same moment share one store; it outlives the {@code kill -9} of the
 * node that started it, with every acknowledged write; a stale {@code store.port} leads to a new
 * store; it stops by itself once no node has been connected for its idle time; and one that cannot
 * start says why. Real JVMs ({@link StoreChild}), real {@code kill -9}, 127.0.0.1 only.
 */
class SharedStoreTest {
  /** Short, so that the test sees the store go in seconds; the default is 30 s. */
  private static final Duration IDLE = Duration.ofSeconds(3);
  private static final int ROWS = 50;
  private static final Pattern STORE = Pattern.compile("STORE port=(\\d+) pid=(\\d+) started=(true|false)");

  @TempDir
  Path dir;

  private final List<Child> children = new ArrayList<>();
  private final List<Long> stores = new ArrayList<>();

  record Child(String name, Process process, List<String> lines) {
    String output() {
      return "--- " + name + " ---\n" + String.join("\n", lines);
    }
  }

  record Store(int port, long pid, boolean started) {}

  @AfterEach
  void stopEverything() {
    children.forEach(c -> c.process().destroyForcibly());
    // only a store this test saw, and only while it is still a store
    stores.forEach(pid -> ProcessHandle.of(pid).filter(p -> SharedStore.isStoreProcess(p.pid())).ifPresent(ProcessHandle::destroyForcibly));
  }

  @Test
  void nodesStartedAtTheSameMomentShareOneStoreThatOutlivesTheKillOfTheOneThatStartedIt() throws Exception {
    Path data = dir.resolve("data");
    long at = System.currentTimeMillis() + 3000;
    Child a = start("a", data, at);
    Child b = start("b", data, at);
    Store sa = store(a);
    Store sb = store(b);
    assertEquals(sa.pid(), sb.pid(), "one store for both:\n" + a.output() + "\n" + b.output());
    assertEquals(sa.port(), sb.port());
    assertTrue(sa.started() ^ sb.started(), "exactly one of them started it:\n" + a.output() + "\n" + b.output());
    long pid = sa.pid();
    stores.add(pid);
    await(a, "READY", Duration.ofSeconds(60));
    await(b, "READY", Duration.ofSeconds(60));

    Child starter = sa.started() ? a : b;
    Child other = starter == a ? b : a;
    new ProcessBuilder("kill", "-9", Long.toString(starter.process().pid())).start().waitFor(5, TimeUnit.SECONDS);
    assertTrue(starter.process().waitFor(10, TimeUnit.SECONDS));
    assertEquals(137, starter.process().exitValue());
    Processes.sleep(IDLE.toMillis() + 1000);
    assertTrue(Processes.alive(pid), "the store outlives the JVM that started it");
    assertTrue(other.process().isAlive(), other.output());

    // as manifold up would: the store that serves the directory, over TCP, with everything written
    try (SharedStore joined = SharedStore.joinIfServing(data, new SharedStore.Settings(IDLE, Duration.ofSeconds(30)))) {
      assertNotNull(joined, "manifold up finds the serving store");
      assertEquals(pid, joined.pid());
      assertFalse(joined.started());
      try (Connection c = DriverManager.getConnection(joined.database().url(), "sa", "");
          ResultSet r = c.createStatement().executeQuery("SELECT who, COUNT(*) FROM acked GROUP BY who ORDER BY who")) {
        assertTrue(r.next());
        assertEquals("a", r.getString(1));
        assertEquals(acked(a), r.getInt(2));
        assertTrue(r.next());
        assertEquals("b", r.getString(1));
        assertEquals(acked(b), r.getInt(2));
      }
    }
    assertEquals(ROWS, acked(a));
    assertEquals(ROWS, acked(b));

    // the last node goes: the store stops by itself after its idle time, and says so
    other.process().getOutputStream().close();
    assertTrue(other.process().waitFor(30, TimeUnit.SECONDS), other.output());
    long gone = System.nanoTime();
    long deadline = gone + IDLE.plusSeconds(10).toNanos();
    while (Processes.alive(pid) && System.nanoTime() < deadline) {
      Processes.sleep(50);
    }
    assertFalse(Processes.alive(pid), "the store stops once idle");
    long stoppedAfter = (System.nanoTime() - gone) / 1_000_000;
    assertTrue(stoppedAfter >= IDLE.toMillis() - 1000, "not before its idle time: " + stoppedAfter + " ms");
    assertFalse(Files.exists(data.resolve(SharedStore.PORT_FILE)), "its port file goes with it");
    String log = Files.readString(data.resolve(SharedStore.LOG_FILE));
    assertTrue(log.contains("stopped: no client for 3.0 s"), log);
    System.out.println("[RESULT] store process: two nodes at the same moment, one store (pid " + pid + "); it outlived the kill -9 of"
        + " the node that started it, with all " + (2 * ROWS) + " acknowledged rows; stopped " + stoppedAfter + " ms after the last client (idle "
        + IDLE.toSeconds() + " s)\n" + log);
  }

  @Test
  void aStalePortFileLeadsToANewStore() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    // a store that is gone, its port now another program's
    try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Files.writeString(data.resolve(SharedStore.PORT_FILE), "port=" + other.getLocalPort() + "\nkey=" + "0".repeat(32) + "\npid=999999999\ndatabase=" + data.resolve("manifold") + "\n");
      Child a = start("a", data, 0);
      Store s = store(a);
      stores.add(s.pid());
      assertTrue(s.started(), a.output());
      assertNotEquals(other.getLocalPort(), s.port());
      await(a, "READY", Duration.ofSeconds(60));
      a.process().getOutputStream().close();
      assertTrue(a.process().waitFor(30, TimeUnit.SECONDS));
    }
    // a store that is gone, its port free
    int free;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      free = s.getLocalPort();
    }
    awaitGone(stores.get(0));
    Files.writeString(data.resolve(SharedStore.PORT_FILE), "port=" + free + "\nkey=" + "0".repeat(32) + "\npid=999999999\ndatabase=" + data.resolve("manifold") + "\n");
    Child b = start("b", data, 0);
    Store s = store(b);
    stores.add(s.pid());
    assertTrue(s.started(), b.output());
    await(b, "READY", Duration.ofSeconds(60));
    assertEquals(ROWS, acked(b));
  }

  @Test
  void manifoldUpUsesTheStoreThatServesTheDirectoryRatherThanFindTheFileInUse() throws Exception {
    Path data = dir.resolve("data");
    Child a = start("a", data, 0);
    Store s = store(a);
    stores.add(s.pid());
    await(a, "READY", Duration.ofSeconds(60));
    try (LocalManifold m = LocalManifold.start(DurableControlPlaneTest.config(data))) {
      assertTrue(m.database().contains("served by the store process (pid " + s.pid() + " "), m.database());
      m.createApp("through-the-store", null, java.util.Map.of(), java.util.Map.of());
    }
    try (SharedStore joined = SharedStore.joinIfServing(data, new SharedStore.Settings(IDLE, Duration.ofSeconds(30)));
        Connection c = DriverManager.getConnection(joined.database().url(), "sa", "");
        ResultSet r = c.createStatement().executeQuery("SELECT COUNT(*) FROM \"event_journal\" WHERE \"persistence_id\" LIKE '%through-the-store%'")) {
      assertTrue(r.next());
      assertTrue(r.getInt(1) > 0, "the app's events are in the store's file");
    }
  }

  @Test
  void manifoldUpWaitsForAStoreThatIsStoppingRatherThanFindTheFileInUse() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Child stopping = child("stopping", StoppingStoreChild.class, data.toString(), "2000");
    await(stopping, "STOPPING", Duration.ofSeconds(60));
    long began = System.nanoTime();
    try (LocalManifold m = LocalManifold.start(DurableControlPlaneTest.config(data))) {
      assertTrue(m.database().contains("H2 file"), m.database());
      m.createApp("after-the-store", null, java.util.Map.of(), java.util.Map.of());
    }
    assertTrue(stopping.process().waitFor(10, TimeUnit.SECONDS), "the stopping store is gone");
    assertTrue(System.nanoTime() - began > Duration.ofMillis(500).toNanos(), "manifold up waited for the store to finish stopping");
  }

  @Test
  void aStoreCanBeAskedAboutAndStopped() throws Exception {
    Path data = dir.resolve("data");
    assertEquals(null, SharedStore.status(data));
    Child a = start("a", data, 0);
    Store s = store(a);
    stores.add(s.pid());
    await(a, "READY", Duration.ofSeconds(60));
    SharedStore.Status status = SharedStore.status(data);
    assertNotNull(status);
    assertEquals(s.pid(), status.pid());
    assertEquals(s.port(), status.port());
    assertEquals(2, status.connections(), "the child's two: the one that keeps the store, the one it writes on");
    SharedStore.Stopping refused = SharedStore.stop(data, false, Duration.ofSeconds(30));
    assertFalse(refused.stopped(), "a store with clients is left alone unless forced");
    assertEquals(2, refused.found().connections());
    assertTrue(Processes.alive(s.pid()));
    assertTrue(SharedStore.stop(data, true, Duration.ofSeconds(30)).stopped());
    assertFalse(Processes.alive(s.pid()));
    assertFalse(Files.exists(data.resolve(SharedStore.PORT_FILE)));
    assertTrue(Files.readString(data.resolve(SharedStore.LOG_FILE)).contains("stopped: SIGTERM"));
    assertEquals(null, SharedStore.status(data));
    SharedStore.Stopping none = SharedStore.stop(data, true, Duration.ofSeconds(30));
    assertEquals(null, none.found());
    assertFalse(none.stopped());
  }

  @Test
  void theStoreServesTheDatabaseOnlyUnderTheSecretInItsOwnersPortFile() throws Exception {
    Path data = dir.resolve("data");
    Child a = start("a", data, 0);
    Store s = store(a);
    stores.add(s.pid());
    await(a, "READY", Duration.ofSeconds(60));
    Path portFile = data.resolve(SharedStore.PORT_FILE);
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(portFile)));
    // any local process can reach the port; without the key it gets no session, so no SQL
    for (String name : List.of("manifold", "0".repeat(32), data.resolve("manifold").toString())) {
      java.sql.SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
          () -> DriverManager.getConnection("jdbc:h2:tcp://127.0.0.1:" + s.port() + "/" + name, "sa", "").close(), name);
      assertEquals(28000, refused.getErrorCode(), name + ": " + refused.getMessage()); // wrong user or password
    }
    try (SharedStore joined = SharedStore.joinIfServing(data, new SharedStore.Settings(IDLE, Duration.ofSeconds(30)));
        Connection c = DriverManager.getConnection(joined.database().url(), "sa", "")) {
      assertTrue(c.isValid(5), "the key from the port file opens it");
    }
  }

  @Test
  void aNodeWhoseStoreWasKilledSaysSoInItsLog() throws Exception {
    Path data = dir.resolve("data");
    try (SharedStore store = SharedStore.startOrJoin(data, new SharedStore.Settings(IDLE, Duration.ofSeconds(30)))) {
      stores.add(store.pid());
      assertTrue(store.started());
      assertFalse(store.gone());
      ProcessHandle.of(store.pid()).orElseThrow().destroyForcibly();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!store.gone() && System.nanoTime() < deadline) {
        Processes.sleep(100);
      }
      assertTrue(store.gone(), "the node's watch noticed within 30 s (it looks every 5 s)");
    }
  }

  @Test
  void aStoreThatCannotStartSaysWhyAndWhereItsLogIs() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    // the file held by a Manifold that does not share it, as manifold up holds it
    try (Connection held = DriverManager.getConnection(Database.h2FileUrl(data.resolve("manifold")), "sa", "")) {
      InputException e = assertThrows(InputException.class,
          () -> SharedStore.startOrJoin(data, new SharedStore.Settings(IDLE, Duration.ofSeconds(60))));
      assertTrue(e.getMessage().startsWith("--data-dir " + data + ": the store process"), e.getMessage());
      assertTrue(e.getMessage().contains("in use by a Manifold that does not share it (manifold up)"), e.getMessage());
      assertTrue(e.getMessage().contains("its log is " + data.resolve(SharedStore.LOG_FILE)), e.getMessage());
    }
    assertFalse(Files.exists(data.resolve(SharedStore.PORT_FILE)));
  }

  private Child start(String name, Path data, long at) throws Exception {
    return child(name, StoreChild.class, data.toString(), name, Long.toString(IDLE.toMillis()), Long.toString(at), Integer.toString(ROWS));
  }

  /** A JVM of its own with the test classpath, running {@code main}; stopped after the test. */
  private Child child(String name, Class<?> main, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    Child c = new Child(name, p, Processes.output(p, "store-child-" + name));
    children.add(c);
    return c;
  }

  private static Store store(Child c) {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : c.lines()) {
        Matcher m = STORE.matcher(line);
        if (m.matches()) {
          return new Store(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)), Boolean.parseBoolean(m.group(3)));
        }
      }
      if (!c.process().isAlive()) {
        break;
      }
      Processes.sleep(20);
    }
    throw new AssertionError("no store for " + c.name() + ":\n" + c.output());
  }

  private static void await(Child c, String line, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!c.lines().contains(line) && c.process().isAlive() && System.nanoTime() < deadline) {
      Processes.sleep(20);
    }
    assertTrue(c.lines().contains(line), c.output());
  }

  private static void awaitGone(long pid) {
    long deadline = System.nanoTime() + IDLE.plusSeconds(10).toNanos();
    while (Processes.alive(pid) && System.nanoTime() < deadline) {
      Processes.sleep(50);
    }
    assertFalse(Processes.alive(pid), "store " + pid + " stops once idle");
  }

  private static int acked(Child c) {
    return (int) c.lines().stream().filter(l -> l.startsWith("ACK ")).count();
  }
}
