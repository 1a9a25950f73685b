package io.manifold.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.testing.Processes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code manifold store} shows the store process of a data directory, or that there is none, and
 * stops it: not while connections are open, unless {@code --force}. The store is a real one,
 * started as a node would start it (its main class, 127.0.0.1 only).
 */
class StoreCommandTest {
  @TempDir
  Path dir;

  private static CliHarness.Run run(String... args) {
    return CliHarness.runAsGiven(args);
  }

  @Test
  void forceWithoutStopIsRefusedByName() {
    CliHarness.Run r = run("store", "--data-dir", dir.resolve("data").toString(), "--force");
    assertEquals(Errors.BAD_INPUT, r.status(), r.toString());
    assertTrue(r.err().contains("--force") && r.err().contains("--stop"), r.toString());
  }

  @Test
  void showsTheStoreAndStopsItOnlyWhenNobodyUsesItUnlessForced() throws Exception {
    Path data = dir.resolve("data");
    CliHarness.Run none = run("store", "--data-dir", data.toString());
    assertEquals(0, none.status(), none.err());
    assertTrue(none.out().startsWith("manifold: no store process serves " + data), none.out());

    Process store = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
        "-Dh2.bindAddress=127.0.0.1", "-cp", System.getProperty("java.class.path"), "io.manifold.cluster.StoreProcess",
        "--data-dir", data.toString(), "--idle-stop", "60000")
        .redirectErrorStream(true).redirectOutput(dir.resolve("store.out").toFile()).start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!Files.exists(data.resolve("store.port")) && store.isAlive() && System.nanoTime() < deadline) {
        Processes.sleep(50);
      }
      assertTrue(Files.exists(data.resolve("store.port")), Files.readString(dir.resolve("store.out"), StandardCharsets.UTF_8));
      // the port file's fields by name, whatever their order
      java.util.Map<String, String> portFile = Files.readAllLines(data.resolve("store.port")).stream()
          .filter(l -> l.indexOf('=') > 0)
          .collect(java.util.stream.Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
      int port = Integer.parseInt(portFile.get("port"));
      String key = portFile.get("key");

      CliHarness.Run shown = run("store", "--data-dir", data.toString());
      assertEquals(0, shown.status(), shown.err());
      assertTrue(shown.out().startsWith("manifold: the store process (pid " + store.pid() + ") serves " + data.resolve("manifold.mv.db")
          + " on 127.0.0.1:" + port + ", 0 connections open"), shown.out());

      Connection c = DriverManager.getConnection("jdbc:h2:tcp://127.0.0.1:" + port + "/" + key + ";DATABASE_TO_UPPER=false", "sa", "");
      try {
        CliHarness.Run refused = run("store", "--data-dir", data.toString(), "--stop");
        assertEquals(1, refused.status(), refused.out());
        assertTrue(refused.err().contains("has 1 connection open") && refused.err().contains("or add --force"), refused.err());
        assertTrue(store.isAlive());

        CliHarness.Run forced = run("store", "--data-dir", data.toString(), "--stop", "--force");
        assertEquals(0, forced.status(), forced.err());
        assertTrue(forced.out().startsWith("manifold: the store process (pid " + store.pid() + ") stopped"), forced.out());
      } finally {
        try {
          c.close();
        } catch (java.sql.SQLException sessionClosed) {
          // the store closed it: what --force does to its clients
        }
      }
      assertTrue(store.waitFor(10, TimeUnit.SECONDS));
      assertFalse(Files.exists(data.resolve("store.port")));
      assertTrue(Files.readString(dir.resolve("store.out")).contains("stopped: SIGTERM"));
      CliHarness.Run gone = run("store", "--data-dir", data.toString(), "--stop");
      assertEquals(0, gone.status(), gone.err());
      assertTrue(gone.out().startsWith("manifold: no store process serves"), gone.out());
    } finally {
      store.destroyForcibly();
      store.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
