package io.manifold.cluster;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import org.h2.tools.Server;

/**
 * The store process: the H2 file of a data directory, served over TCP on 127.0.0.1 to the
 * {@code manifold node} processes of this machine, from a small JVM of its own. No node hosts the
 * database, so killing a node (what chaos does all day) never touches it: the node's sessions
 * end, what it had committed is in the store's file, and the others go on writing.
 *
 * <p>{@link SharedStore} starts it (in a session of its own, so that a Ctrl-C in a node's
 * terminal does not reach it) and finds it through {@code store.port} in the data directory,
 * which it writes once it serves. It opens the file itself before it serves, with the options
 * every open needs, and keeps that connection: the file stays open while the process lives, and
 * a file another Manifold holds is a clear error in its log rather than a node's stack trace.
 *
 * <p>Bounded: once a second it counts the clients' sessions; when there has been none for the
 * idle time ({@code manifold.db.store-idle-stop}, 30 s), it takes the data directory's
 * {@code store.lock} (the one nodes hold while they pick a store, so that none picks it as it
 * goes), removes {@code store.port}, and closes the database. SIGTERM closes it too; SIGINT and
 * SIGHUP are ignored. Its output is {@code store.log} in the data directory.
 */
public final class StoreProcess {
  /** How often the clients are counted. */
  private static final Duration TICK = Duration.ofSeconds(1);

  private final Path dataDir;
  private final Connection anchor;
  private final Server server;
  private final String key;
  private boolean stopped;

  private StoreProcess(Path dataDir, Connection anchor, Server server, String key) {
    this.dataDir = dataDir;
    this.anchor = anchor;
    this.server = server;
    this.key = key;
  }

  /** 128 random bits: the name the database is served under. */
  private static byte[] secret() {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    return b;
  }

  /** {@code --data-dir DIR --idle-stop MILLIS}: what {@link SharedStore} passes. */
  public static void main(String[] args) {
    Path dataDir = null;
    Duration idleStop = Duration.ofSeconds(30);
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--data-dir" -> dataDir = Path.of(args[i + 1]).toAbsolutePath().normalize();
        case "--idle-stop" -> idleStop = Duration.ofMillis(Long.parseLong(args[i + 1]));
        default -> {
          say("unknown argument " + args[i]);
          System.exit(2);
        }
      }
    }
    if (dataDir == null) {
      say("expected --data-dir DIR [--idle-stop MILLIS]");
      System.exit(2);
    }
    System.exit(run(dataDir, idleStop));
  }

  /** Serves until idle or SIGTERM; the exit status: 0 stopped, 2 could not serve, 3 the file is in use. */
  static int run(Path dataDir, Duration idleStop) {
    // the launcher passes it too; this is for a store started by hand, before H2 reads it
    System.setProperty("h2.bindAddress", "127.0.0.1");
    ignore("INT");
    ignore("HUP");
    Path dir;
    Connection anchor;
    try {
      dir = Files.createDirectories(dataDir).toRealPath();
      anchor = DriverManager.getConnection(Database.h2FileUrl(dir.resolve("manifold")), "sa", "");
    } catch (SQLException e) {
      if (e.getErrorCode() == 90020) {
        say("cannot open " + dataDir.resolve("manifold.mv.db") + ": " + SharedStore.IN_USE);
        return 3;
      }
      say("cannot open " + dataDir.resolve("manifold.mv.db") + ": " + e.getMessage());
      return 2;
    } catch (IOException e) {
      say("cannot use the data directory " + dataDir + ": " + e);
      return 2;
    }
    Server server;
    String key = HexFormat.of().formatHex(secret());
    try {
      // no -tcpAllowOthers: local connections only; no -ifNotExists: the file exists (the anchor made it).
      // -key: the database is served only under a secret name, since H2 lets any local process in,
      // and the admin 'sa' could run code (CREATE ALIAS) as the data directory's owner
      server = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(), "-key", key, "manifold").start();
    } catch (SQLException e) {
      say("cannot serve " + dir.resolve("manifold.mv.db") + ": " + e.getMessage());
      close(anchor);
      return 2;
    }
    StoreProcess store = new StoreProcess(dir, anchor, server, key);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> store.stop("SIGTERM"), "manifold-store-stop"));
    try {
      store.writePortFile();
    } catch (IOException e) {
      say("cannot write " + dir.resolve(SharedStore.PORT_FILE) + ": " + e);
      store.stop("no port file");
      return 2;
    }
    say("serving " + dir.resolve("manifold.mv.db") + " on 127.0.0.1:" + server.getPort() + " (pid "
        + ProcessHandle.current().pid() + "); stops after " + idleStop.toMillis() / 1000.0 + " s without a client");
    return store.serveUntilIdle(idleStop);
  }

  private int serveUntilIdle(Duration idleStop) {
    Instant lastClient = Instant.now();
    while (true) {
      try {
        Thread.sleep(TICK.toMillis());
      } catch (InterruptedException e) {
        stop("interrupted");
        return 0;
      }
      synchronized (this) {
        if (stopped) {
          return 0;
        }
      }
      int clients;
      try {
        clients = clients();
      } catch (SQLException e) {
        say("cannot count the clients (" + e.getMessage() + "); stopping");
        stop("database error");
        return 2;
      }
      if (clients > 0) {
        lastClient = Instant.now();
      } else if (Duration.between(lastClient, Instant.now()).compareTo(idleStop) >= 0 && stopIfStillIdle(idleStop)) {
        return 0;
      }
    }
  }

  /**
   * Under the nodes' lock, so that no node picks this store as it goes: counted again, then
   * stopped if still nobody's. False if a client came meanwhile, or a node holds the lock (it is
   * picking a store, maybe this one): the next tick looks again, so a node stopped while it held
   * the lock cannot keep this one waiting.
   */
  private boolean stopIfStillIdle(Duration idleStop) {
    try (FileChannel channel = FileChannel.open(dataDir.resolve(SharedStore.LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock()) {
      if (lock == null || clients() > 0) {
        return false;
      }
      stop("no client for " + idleStop.toMillis() / 1000.0 + " s");
      return true;
    } catch (IOException | SQLException e) {
      stop("no client for " + idleStop.toMillis() / 1000.0 + " s (" + e + ")");
      return true;
    }
  }

  /** The sessions of the database but the store's own: the nodes' connections. */
  private int clients() throws SQLException {
    return otherSessions(anchor);
  }

  /** The database's sessions other than {@code own}'s. */
  static int otherSessions(Connection own) throws SQLException {
    try (Statement s = own.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID <> SESSION_ID()")) {
      return r.next() ? r.getInt(1) : 0;
    }
  }

  /**
   * Stops serving (no node finds this store any more), ends the clients' sessions, and closes the
   * database, which writes what is left and compacts the file. Once.
   */
  private synchronized void stop(String why) {
    if (stopped) {
      return;
    }
    stopped = true;
    removePortFile();
    server.stop();
    close(anchor);
    say("stopped: " + why);
  }

  /**
   * {@code port=P}, {@code key=SECRET}, {@code pid=N}, {@code database=DIR/manifold}, readable by
   * its owner only (the key is the way in), replaced in one move: a reader never sees half of it.
   */
  private void writePortFile() throws IOException {
    Path tmp = dataDir.resolve(SharedStore.PORT_FILE + "." + ProcessHandle.current().pid() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, "port=" + server.getPort() + "\nkey=" + key + "\npid=" + ProcessHandle.current().pid()
        + "\ndatabase=" + dataDir.resolve("manifold") + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, dataDir.resolve(SharedStore.PORT_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Only while it still names this store: a newer store's file stays. */
  private void removePortFile() {
    Path file = dataDir.resolve(SharedStore.PORT_FILE);
    try {
      SharedStore.PortFile p = SharedStore.PortFile.read(file);
      if (p != null && p.pid() == ProcessHandle.current().pid()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      say("cannot remove " + file + ": " + e);
    }
  }

  private static void close(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      say("closing the database: " + e.getMessage());
    }
  }

  private static void ignore(String signal) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal(signal), sun.misc.SignalHandler.SIG_IGN);
    } catch (IllegalArgumentException notOnThisSystem) {
      // nothing to ignore
    }
  }

  static void say(String line) {
    System.out.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " manifold store: " + line);
    System.out.flush();
  }
}
