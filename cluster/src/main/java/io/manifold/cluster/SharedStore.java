package io.manifold.cluster;

import com.typesafe.config.Config;
import io.manifold.core.InputException;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The node side of the {@link StoreProcess}: finds the store that serves a data directory's H2
 * file to the node processes of this machine, or starts one, and holds a connection to it while
 * the node lives, so that the store (which stops once nobody has been connected for its idle
 * time) stays while a node needs it.
 *
 * <p>Nodes started at the same moment end up on one store: each picks under an exclusive lock
 * on {@code store.lock} in the data directory (and a monitor, for nodes in one JVM), which it
 * holds only while it picks. {@code store.port} says where the store listens; a store that does
 * not answer there, or a port that something else has taken since, is stale, and a new store
 * replaces it.
 *
 * <p>Public only for {@code manifold store}: {@link #status} and {@link #stop}.
 */
public final class SharedStore implements AutoCloseable {
  static final String LOCK_FILE = "store.lock";
  static final String PORT_FILE = "store.port";
  static final String LOG_FILE = "store.log";
  /** The store's log is kept to this size (and one older file of it). */
  static final long MAX_LOG_BYTES = 1024 * 1024;
  static final String IN_USE =
      "the database file is in use by a Manifold that does not share it (manifold up); stop it, or give the nodes another --data-dir";

  private static final Object IN_THIS_JVM = new Object();
  private static final Path SETSID = Path.of("/usr/bin/setsid");
  private static final Path DEV_NULL = Path.of("/dev/null");
  /** How long a store's port may take to accept a TCP connection before the store counts as gone. */
  private static final int PROBE_MILLIS = 1000;
  /** The held connection's reads: a port taken by something that accepts and never answers is not a store. */
  private static final int NETWORK_TIMEOUT_MILLIS = 10_000;
  /** How long a node waits for another to finish picking (which may include starting a store). */
  private static final Duration LOCK_SLACK = Duration.ofSeconds(15);
  private static final long POLL_MILLIS = 50;
  /** The store's heap: the control plane's data is small; H2's page cache is 16 MiB by default. */
  private static final String STORE_HEAP = "-Xmx256m";
  /** How often a node checks that its store still answers. */
  private static final Duration WATCH_EVERY = Duration.ofSeconds(5);
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SharedStore.class);

  private final Path dataDir;
  private final int port;
  private final String key;
  private final long pid;
  private final boolean started;
  private final Connection held;
  private volatile boolean closed;
  private volatile boolean gone;

  private SharedStore(Path dataDir, PortFile found, boolean started, Connection held) {
    this.dataDir = dataDir;
    this.port = found.port();
    this.key = found.key();
    this.pid = found.pid();
    this.started = started;
    this.held = held;
  }

  /**
   * Checks every {@link #WATCH_EVERY} that the store still answers, and says so once in the node's
   * log when it does not: a store killed or stopped by force leaves the node unable to store
   * anything (its writes fail, its apps stop), and a node does not move to a new store by itself.
   */
  private SharedStore watched() {
    Thread watch = new Thread(() -> {
      while (!closed) {
        try {
          Thread.sleep(WATCH_EVERY.toMillis());
          if (!closed && !held.isValid(5)) {
            gone = true;
            if (!closed) {
              LOG.error("the store process of {} (pid {}, 127.0.0.1:{}) is gone: this node can store nothing more (what was"
                  + " acknowledged is in the file); stop this node and start it again, and the first node to start starts a new"
                  + " store; see {}", dataDir, pid, port, dataDir.resolve(LOG_FILE));
            }
            return;
          }
        } catch (InterruptedException | SQLException e) {
          return;
        }
      }
    }, "manifold-store-watch");
    watch.setDaemon(true);
    watch.start();
    return this;
  }

  /**
   * What {@code store.port} says: where the store listens, the secret name under which it serves
   * the database (the file is its owner's alone), its pid, the database it serves.
   */
  record PortFile(int port, String key, long pid, String database) {
    /** Null when there is no such file, or it is not whole. */
    static PortFile read(Path file) throws IOException {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException gone) {
        return null;
      }
      int port = -1;
      String key = null;
      long pid = -1;
      String database = null;
      for (String line : text.split("\n")) {
        int eq = line.indexOf('=');
        if (eq <= 0) {
          continue;
        }
        String name = line.substring(0, eq);
        String value = line.substring(eq + 1).strip();
        try {
          switch (name) {
            case "port" -> port = Integer.parseInt(value);
            case "key" -> key = value.matches("[0-9a-f]{32}") ? value : null;
            case "pid" -> pid = Long.parseLong(value);
            case "database" -> database = value;
            default -> { }
          }
        } catch (NumberFormatException notANumber) {
          return null;
        }
      }
      return port > 0 && port <= 65535 && key != null && pid > 0 && database != null ? new PortFile(port, key, pid, database) : null;
    }
  }

  /** {@code manifold.db.store-*}: how long the store waits without clients, and how long it may take to start. */
  record Settings(Duration idleStop, Duration startTimeout) {
    static Settings fromConfig(Config manifold) {
      return new Settings(manifold.getDuration("db.store-idle-stop"), manifold.getDuration("db.store-start-timeout"));
    }
  }

  /**
   * For {@code manifold node}: the store that serves the H2 file in {@code dataDir}, started if
   * none does.
   *
   * @throws InputException naming {@code --data-dir} and the store's log when it cannot start
   */
  static SharedStore startOrJoin(Path dataDir, Settings settings) {
    Path dir = directory(dataDir);
    return locked(dir, settings.startTimeout().plus(LOCK_SLACK), () -> {
      SharedStore found = join(dir, false);
      if (found == null) {
        found = liveButSlow(dir, settings);
      }
      return (found != null ? found : start(dir, settings)).watched();
    });
  }

  /**
   * When the port file names a store process of this data directory that is alive but did not let
   * us in (a stall, a busy machine), tries again until the start time-out rather than start a
   * second store, which would find the file in use and blame a {@code manifold up}. Null when no
   * such store lives; it fails, naming the store, if it never answers.
   */
  private static SharedStore liveButSlow(Path dir, Settings settings) throws IOException {
    PortFile named = PortFile.read(dir.resolve(PORT_FILE));
    if (named == null || !isStoreProcess(named.pid(), dir)) {
      return null;
    }
    long deadline = System.nanoTime() + settings.startTimeout().toNanos();
    while (System.nanoTime() < deadline && isStoreProcess(named.pid(), dir)) {
      SharedStore found = join(dir, false);
      if (found != null) {
        return found;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (!isStoreProcess(named.pid(), dir)) {
      return null; // it stopped meanwhile: a new one is started
    }
    throw new InputException("--data-dir " + dir, "the store process of this data directory (pid " + named.pid() + ", 127.0.0.1:"
        + named.port() + ") is running but does not answer; see " + dir.resolve(LOG_FILE)
        + ", or stop it with 'manifold store --stop --force'");
  }

  /**
   * For {@code manifold up}: the store that serves the H2 file in {@code dataDir} right now (nodes
   * stopped less than its idle time ago), or null when none does and the file is to be opened in
   * this JVM. It looks under the nodes' lock whenever a store has ever been here: a store that stops
   * for idleness removes its port file first and closes the file last, both under that lock, so a
   * look without it could find no port file and the file still open ("in use").
   */
  static SharedStore joinIfServing(Path dataDir, Settings settings) {
    Path dir = dataDir.toAbsolutePath().normalize();
    if (!Files.exists(dir.resolve(PORT_FILE)) && !Files.exists(dir.resolve(LOCK_FILE))) {
      return null;
    }
    SharedStore found = locked(dir, settings.startTimeout().plus(LOCK_SLACK), () -> join(dir, false));
    return found == null ? null : found.watched();
  }

  /** What {@code manifold store} shows: the store that serves a data directory, and its clients' connections (a node holds several). */
  public record Status(long pid, int port, int connections, Path log) {}

  /** {@code dir}, or the data directory Manifold uses when none is given. */
  public static Path dataDir(Path dir) {
    if (dir != null) {
      return dir.toAbsolutePath().normalize();
    }
    return Path.of(NodeConfig.load(com.typesafe.config.ConfigFactory.empty()).getString("manifold.data-dir")).toAbsolutePath().normalize();
  }

  /** The store that serves {@code dataDir}'s H2 file right now, with its clients' connections (nodes, a {@code manifold up}); null when none does. */
  public static Status status(Path dataDir) {
    Path dir = dataDir.toAbsolutePath().normalize();
    if (!Files.exists(dir.resolve(PORT_FILE))) {
      return null;
    }
    return locked(dir, Duration.ofSeconds(30).plus(LOCK_SLACK), () -> counted(dir));
  }

  /** The store found, its clients counted; under the nodes' lock. */
  private static Status counted(Path dir) throws IOException {
    try (SharedStore store = join(dir, false)) {
      if (store == null) {
        return null;
      }
      try {
        // less the store's own
        int connections = Math.max(0, StoreProcess.otherSessions(store.held) - 1);
        return new Status(store.pid, store.port, connections, dir.resolve(LOG_FILE));
      } catch (SQLException e) {
        return new Status(store.pid, store.port, -1, dir.resolve(LOG_FILE));
      }
    }
  }

  /**
   * What {@link #stop} did: {@code found} is the store as it was (null: none served the data
   * directory), and {@code stopped} whether it was stopped; a store with clients is left alone
   * unless forced.
   */
  public record Stopping(Status found, boolean stopped) {}

  /**
   * Stops the store that serves {@code dataDir} (SIGTERM: it closes the database) if no client
   * is connected to it, or also then when {@code force} (its clients lose the database), and
   * returns once it is gone, at most {@code within}. The count and the stop are both under the
   * nodes' lock, as a store that stops for idleness does it: a node that starts meanwhile waits,
   * then starts a store of its own, rather than join this one as it goes.
   */
  public static Stopping stop(Path dataDir, boolean force, Duration within) {
    Path dir = dataDir.toAbsolutePath().normalize();
    if (!Files.exists(dir.resolve(PORT_FILE))) {
      return new Stopping(null, false);
    }
    return locked(dir, within.plus(LOCK_SLACK), () -> {
      Status found = counted(dir);
      if (found == null || found.connections() != 0 && !force) {
        return new Stopping(found, false);
      }
      return new Stopping(found, stopNow(dir, within));
    });
  }

  /** Stops the store named in the port file and waits for it; false when no store process was there. */
  private static boolean stopNow(Path dir, Duration within) {
    PortFile found;
    try {
      found = PortFile.read(dir.resolve(PORT_FILE));
    } catch (IOException e) {
      throw new InputException("--data-dir " + dir, "cannot read " + dir.resolve(PORT_FILE) + ": " + e.getMessage());
    }
    if (found == null) {
      return false;
    }
    // only a store process: the pid may have been given to another process since
    var store = ProcessHandle.of(found.pid()).filter(p -> isStoreProcess(p.pid(), dir));
    if (store.isEmpty()) {
      return false;
    }
    store.get().destroy();
    try {
      store.get().onExit().get(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      throw new InputException("--data-dir " + dir, "the store process (pid " + found.pid() + ") did not stop within "
          + within.toSeconds() + " s; see " + dir.resolve(LOG_FILE));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return true;
    }
  }

  /**
   * Whether {@code pid} is a store process, by its command line: {@code /proc}'s whole, where
   * there is one (the JDK's is cut at 4 KiB, before the class name when the classpath is long,
   * and empty for some processes).
   */
  static boolean isStoreProcess(long pid) {
    return commandLine(pid).contains(StoreProcess.class.getName());
  }

  /** Whether {@code pid} is the store process of data directory {@code dir}: a pid may have gone to another store since. */
  static boolean isStoreProcess(long pid, Path dir) {
    String line = commandLine(pid);
    return line.contains(StoreProcess.class.getName()) && (line.contains("--data-dir\0" + dir + "\0") || line.contains("--data-dir " + dir + " "));
  }

  private static String commandLine(long pid) {
    Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
    try {
      if (Files.exists(cmdline)) {
        return new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8);
      }
    } catch (IOException gone) {
      return "";
    }
    return ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse("");
  }

  /** The tcp URL of this store, as the node's pool uses it. */
  Database database() {
    return Database.servedByStore(port, key, dataDir.resolve("manifold"), "served by the store process (pid " + pid + " on 127.0.0.1:" + port
        + (started ? ", started by this node" : "") + "; log " + dataDir.resolve(LOG_FILE) + ")");
  }

  int port() {
    return port;
  }

  long pid() {
    return pid;
  }

  /** Whether the watch found the store gone (and said so in the node's log). */
  boolean gone() {
    return gone;
  }

  /** Whether this call started the store, rather than finding it serving. */
  boolean started() {
    return started;
  }

  /** Lets the store go: once no node holds a connection for its idle time, it stops. */
  @Override
  public void close() {
    closed = true;
    try {
      held.close();
    } catch (SQLException e) {
      // the store is gone already
    }
  }

  private static Path directory(Path dataDir) {
    Path dir = dataDir.toAbsolutePath().normalize();
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new InputException("--data-dir " + dir, "cannot create the data directory: " + e.getMessage());
    }
  }

  /** A store that serves {@code dir}'s file as {@code store.port} says, connected to; or null. */
  private static SharedStore join(Path dir, boolean started) throws IOException {
    PortFile found = PortFile.read(dir.resolve(PORT_FILE));
    if (found == null || !answers(found.port())) {
      return null;
    }
    Connection c;
    try {
      c = DriverManager.getConnection(Database.storeUrl(found.port(), found.key()) + ";NETWORK_TIMEOUT=" + NETWORK_TIMEOUT_MILLIS, "sa", "");
    } catch (SQLException notAStore) {
      return null;
    }
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT DATABASE_PATH()")) {
      // another data directory's store, on a port this one's store had once: not ours
      String serves = r.next() ? r.getString(1) : null;
      if (serves != null && Path.of(serves).equals(dir.toRealPath().resolve("manifold"))) {
        return new SharedStore(dir, found, started, c);
      }
    } catch (SQLException | RuntimeException notOurs) {
      // below
    }
    try {
      c.close();
    } catch (SQLException ignored) {
      // gone
    }
    return null;
  }

  private static boolean answers(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), PROBE_MILLIS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Starts a store for {@code dir} and returns once it serves, connected to. */
  private static SharedStore start(Path dir, Settings settings) throws IOException {
    Files.deleteIfExists(dir.resolve(PORT_FILE));
    Path log = dir.resolve(LOG_FILE);
    if (Files.exists(log) && Files.size(log) > MAX_LOG_BYTES) {
      // a few lines per store's life; past 1 MiB the older ones go to store.log.1, replacing the last
      Files.move(log, dir.resolve(LOG_FILE + ".1"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    long logStart = Files.exists(log) ? Files.size(log) : 0;
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(SETSID)) {
      // a session of its own: a Ctrl-C or a hang-up in the node's terminal does not reach it
      command.add(SETSID.toString());
    }
    command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), STORE_HEAP, "-XX:+UseSerialGC",
        "-XX:+ExitOnOutOfMemoryError", "-Dh2.bindAddress=127.0.0.1", "-cp", classPath(), StoreProcess.class.getName(),
        "--data-dir", dir.toString(), "--idle-stop", Long.toString(settings.idleStop().toMillis())));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    if (Files.exists(DEV_NULL)) {
      builder.redirectInput(DEV_NULL.toFile());
    }
    Process store;
    try {
      store = builder.start();
    } catch (IOException e) {
      throw failed(dir, log, logStart, "cannot run " + command.get(0) + ": " + e.getMessage());
    }
    long deadline = System.nanoTime() + settings.startTimeout().toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(dir.resolve(PORT_FILE))) {
        SharedStore found = join(dir, true);
        if (found != null) {
          return found;
        }
      }
      // exit 0 without a port file is setsid having forked (then the store is its child): wait on
      if (!store.isAlive() && store.exitValue() != 0) {
        throw failed(dir, log, logStart, "exit status " + store.exitValue());
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        store.destroyForcibly();
        throw new IllegalStateException("interrupted while the store process started", e);
      }
    }
    store.destroyForcibly();
    throw failed(dir, log, logStart, "it did not serve within " + settings.startTimeout().toSeconds() + " s (manifold.db.store-start-timeout)");
  }

  private static InputException failed(Path dir, Path log, long logStart, String why) {
    String said = "";
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      if (f.length() > logStart) {
        f.seek(logStart);
        byte[] b = new byte[(int) Math.min(4096, f.length() - logStart)];
        f.readFully(b);
        String[] lines = new String(b, StandardCharsets.UTF_8).strip().split("\n");
        said = lines[lines.length - 1].replaceFirst("^\\S+ manifold store: ", "");
      }
    } catch (IOException unreadable) {
      // said nothing
    }
    return new InputException("--data-dir " + dir, "the store process that shares the H2 file between the nodes on this machine did not start ("
        + why + ")" + (said.isEmpty() ? "" : ": " + said) + "; its log is " + log);
  }

  /** This JVM's classpath, each entry absolute: the store runs in the data directory. */
  private static String classPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(s -> !s.isEmpty())
        .map(s -> Path.of(s).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  interface Picking<T> {
    T pick() throws IOException;
  }

  /** {@code body} under {@code store.lock}, held by one node of this machine at a time. */
  private static <T> T locked(Path dir, Duration within, Picking<T> body) {
    Path lockFile = dir.resolve(LOCK_FILE);
    synchronized (IN_THIS_JVM) {
      try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        long deadline = System.nanoTime() + within.toNanos();
        FileLock lock;
        while ((lock = channel.tryLock()) == null) {
          if (System.nanoTime() > deadline) {
            throw new InputException("--data-dir " + dir, "another Manifold has held " + lockFile + " for more than "
                + within.toSeconds() + " s while it started the store process; see " + dir.resolve(LOG_FILE));
          }
          Thread.sleep(POLL_MILLIS);
        }
        try {
          return body.pick();
        } finally {
          lock.release();
        }
      } catch (IOException e) {
        throw new InputException("--data-dir " + dir, "cannot use " + lockFile + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + lockFile, e);
      }
    }
  }
}
