package io.manifold.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.manifold.core.InputException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;

/**
 * Where the control plane is stored: an H2 file under Manifold's data directory by default (no
 * server to install), or PostgreSQL for real deployments and clusters across machines. Checks the
 * database before the node starts, so that a locked file, an unreachable server, a wrong password
 * or a journal written by a newer Manifold is a clear message rather than a stack trace; and it
 * gives the persistence plugin its configuration.
 *
 * <p>H2's URL carries the three options PERSISTENCE.md found necessary: {@code WRITE_DELAY=0}
 * (else a {@code kill -9} loses acknowledged writes), {@code DATABASE_TO_UPPER=false} and
 * {@code DB_CLOSE_ON_EXIT=FALSE} (else H2's shutdown hook closes the database under Pekko's).
 */
public record Database(String url, String user, String password, Kind kind, String description) {
  /** The schema this Manifold writes; a database marked with a higher one was written by a newer Manifold. */
  static final int SCHEMA_VERSION = 1;

  public enum Kind {
    H2("slick.jdbc.H2Profile$", "org.h2.Driver"),
    POSTGRES("slick.jdbc.PostgresProfile$", "org.postgresql.Driver"),
    MEMORY(null, null);

    final String profile;
    final String driver;

    Kind(String profile, String driver) {
      this.profile = profile;
      this.driver = driver;
    }
  }

  private static final String H2_OPTIONS = ";DATABASE_TO_UPPER=false;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
  /**
   * Over TCP the same, but {@code DB_CLOSE_ON_EXIT}: that one is about the JVM that has the file
   * open, the server's, which opened it with {@link #H2_OPTIONS}.
   */
  private static final String H2_TCP_OPTIONS = ";DATABASE_TO_UPPER=false;WRITE_DELAY=0";

  /**
   * From {@code manifold.db}: {@code url} empty for the H2 file in {@code manifold.data-dir};
   * {@code postgres://user:password@host:port/db}, a {@code jdbc:} URL, or {@code memory} (nothing
   * stored: for tests and throw-away runs). Several node processes share the H2 file through the
   * store process: see {@link #open}.
   */
  public static Database fromConfig(Config manifold) {
    String url = manifold.getString("db.url").strip();
    String user = manifold.getString("db.user");
    String password = manifold.getString("db.password");
    if (url.isEmpty()) {
      Path file = dataDir(manifold).resolve("manifold");
      return new Database(h2FileUrl(file), "sa", "", Kind.H2, "H2 file " + file + ".mv.db");
    }
    if (url.equals("memory")) {
      return new Database("memory", "", "", Kind.MEMORY, "memory (nothing is kept after Manifold stops)");
    }
    if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
      URI u = URI.create(url);
      String info = u.getUserInfo();
      if (info != null) {
        int colon = info.indexOf(':');
        user = colon < 0 ? info : info.substring(0, colon);
        password = colon < 0 ? password : info.substring(colon + 1);
      }
      String host = u.getHost() == null ? "127.0.0.1" : u.getHost();
      int port = u.getPort() < 0 ? 5432 : u.getPort();
      String db = u.getPath() == null || u.getPath().length() <= 1 ? "manifold" : u.getPath().substring(1);
      return new Database("jdbc:postgresql://" + host + ":" + port + "/" + db + "?reWriteBatchedInserts=true",
          user, password, Kind.POSTGRES, "PostgreSQL at " + host + ":" + port + "/" + db);
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return new Database(url, user, password, Kind.POSTGRES, "PostgreSQL at " + url.substring("jdbc:postgresql://".length()));
    }
    if (url.startsWith("jdbc:h2:")) {
      String upper = url.toUpperCase(Locale.ROOT);
      boolean remote = upper.startsWith("JDBC:H2:TCP:") || upper.startsWith("JDBC:H2:SSL:");
      String full = upper.contains("WRITE_DELAY") ? url : url + (remote ? H2_TCP_OPTIONS : H2_OPTIONS);
      return new Database(full, user.isEmpty() ? "sa" : user, password, Kind.H2, "H2 at " + url.substring(8));
    }
    throw new InputException("--database " + url,
        "expected postgres://user:password@host:port/database, a jdbc:postgresql: or jdbc:h2: URL, or memory");
  }

  /**
   * The database as {@link #fromConfig} says, where the H2 file of the data directory is the
   * store process's to serve when one does: {@code manifold node} ({@code manifold.db.store-process})
   * starts one if none does; {@code manifold up} uses one that serves, else opens the file itself.
   * The store stays while the returned {@link Opened} is open; its store is null for any other
   * database. The database is {@link #check}ed: when it cannot be used, the store is let go and the
   * check's error thrown.
   */
  static Opened open(Config manifold) {
    Database database = fromConfig(manifold);
    SharedStore store = null;
    if (manifold.getString("db.url").isBlank()) {
      SharedStore.Settings settings = SharedStore.Settings.fromConfig(manifold);
      store = manifold.getBoolean("db.store-process")
          ? SharedStore.startOrJoin(dataDir(manifold), settings)
          : SharedStore.joinIfServing(dataDir(manifold), settings);
    }
    Opened opened = new Opened(store == null ? database : store.database(), store);
    try {
      opened.database().check();
    } catch (RuntimeException e) {
      opened.close();
      throw e;
    }
    return opened;
  }

  /** A database, and the store process it is served by (null when none). */
  record Opened(Database database, SharedStore store) implements AutoCloseable {
    /** Lets the store go (it stops once no node has been connected for its idle time). */
    @Override
    public void close() {
      if (store != null) {
        store.close();
      }
    }
  }

  private static Path dataDir(Config manifold) {
    return Path.of(manifold.getString("data-dir")).toAbsolutePath().normalize();
  }

  /** The H2 file {@code file}{@code .mv.db}, opened in this JVM. */
  static String h2FileUrl(Path file) {
    return "jdbc:h2:file:" + file + H2_OPTIONS;
  }

  /**
   * The H2 file the store process on this machine serves at {@code port}, under the name
   * {@code key}: the store's secret, which only the data directory's owner can read.
   */
  static String storeUrl(int port, String key) {
    return "jdbc:h2:tcp://127.0.0.1:" + port + "/" + key + H2_TCP_OPTIONS;
  }

  /** The data directory's H2 file {@code file}, as the store process serves it at {@code port} under {@code key}. */
  static Database servedByStore(int port, String key, Path file, String how) {
    return new Database(storeUrl(port, key), "sa", "", Kind.H2, "H2 file " + file + ".mv.db, " + how);
  }

  /** The persistence plugin's settings for this database, over the rest of the config. */
  public Config pekkoConfig() {
    if (kind == Kind.MEMORY) {
      return ConfigFactory.parseMap(Map.of(
          "pekko.persistence.journal.plugin", "pekko.persistence.journal.inmem",
          "pekko.persistence.snapshot-store.plugin", "pekko.persistence.snapshot-store.local"));
    }
    return ConfigFactory.parseMap(Map.of(
            "pekko.persistence.journal.plugin", "jdbc-journal",
            "pekko.persistence.snapshot-store.plugin", "jdbc-snapshot-store",
            "pekko-persistence-jdbc.shared-databases.slick.profile", kind.profile,
            "pekko-persistence-jdbc.shared-databases.slick.db.url", url,
            "pekko-persistence-jdbc.shared-databases.slick.db.user", user,
            "pekko-persistence-jdbc.shared-databases.slick.db.password", password,
            "pekko-persistence-jdbc.shared-databases.slick.db.driver", kind.driver))
        .withFallback(ConfigFactory.parseResources(Database.class.getClassLoader(), "manifold-persistence.conf"));
  }

  /**
   * Connects once, as the node will, and checks the database is ours and not newer than us;
   * creates the data directory first for an H2 file. Errors are {@link InputException}s that say
   * what to do.
   */
  public void check() {
    if (kind == Kind.MEMORY) {
      return;
    }
    if (kind == Kind.H2 && url.startsWith("jdbc:h2:file:")) {
      Path file = Path.of(url.substring("jdbc:h2:file:".length(), url.indexOf(';')));
      try {
        Files.createDirectories(file.getParent());
      } catch (java.io.IOException e) {
        throw new InputException("--data-dir " + file.getParent(), "cannot create the data directory: " + e.getMessage());
      }
    }
    try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
      createJournalTables(s);
      s.execute("CREATE TABLE IF NOT EXISTS manifold_meta (schema_version INTEGER NOT NULL)");
      try (ResultSet r = s.executeQuery("SELECT MAX(schema_version) FROM manifold_meta")) {
        int found = r.next() ? r.getInt(1) : 0;
        if (found > SCHEMA_VERSION) {
          throw new InputException(description, "this database was written by a newer Manifold (schema " + found
              + ", this Manifold knows " + SCHEMA_VERSION + "); run that Manifold, or give this one another database");
        }
        if (found < SCHEMA_VERSION) {
          s.execute("INSERT INTO manifold_meta (schema_version) VALUES (" + SCHEMA_VERSION + ")");
        }
      }
    } catch (SQLException e) {
      throw new InputException(description, explain(e));
    }
  }

  /**
   * The journal's tables, from the DDL the persistence plugin ships in its jar, statement by
   * statement. The plugin's scripts are not written to run twice (an index without IF NOT EXISTS),
   * so "already exists" is what a second start expects; any other error is not.
   */
  private void createJournalTables(Statement s) throws SQLException {
    String script = kind == Kind.H2 ? "schema/h2/h2-create-schema.sql" : "schema/postgres/postgres-create-schema.sql";
    String ddl;
    try (var in = Database.class.getClassLoader().getResourceAsStream(script)) {
      if (in == null) {
        throw new IllegalStateException("the persistence plugin's " + script + " is not on the classpath");
      }
      ddl = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read " + script, e);
    }
    for (String statement : ddl.split(";")) {
      String sql = statement.strip();
      if (sql.isEmpty() || sql.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("--"))) {
        continue;
      }
      try {
        s.execute(sql);
      } catch (SQLException e) {
        boolean exists = "42P07".equals(e.getSQLState()) || e.getErrorCode() == 42111 || e.getErrorCode() == 42101
            || String.valueOf(e.getMessage()).contains("already exists");
        if (!exists) {
          throw e;
        }
      }
    }
  }

  /** What went wrong, in words a person can act on. */
  private String explain(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    int code = e.getErrorCode();
    if (kind == Kind.H2 && (code == 90020 || String.valueOf(e.getMessage()).contains("already in use"))) {
      return "the database file is in use by another Manifold; stop it, or give this one another --data-dir";
    }
    if (kind == Kind.POSTGRES && state.startsWith("08")) {
      return "cannot reach PostgreSQL (" + e.getMessage() + "); is it running and listening there?";
    }
    if (kind == Kind.POSTGRES && (state.equals("28P01") || state.equals("28000"))) {
      return "PostgreSQL refused the login of user '" + user + "': " + e.getMessage();
    }
    if (kind == Kind.POSTGRES && state.equals("3D000")) {
      return "PostgreSQL has no such database: " + e.getMessage() + "; create it first (CREATE DATABASE ...)";
    }
    return "cannot use the database: " + e.getMessage();
  }
}
