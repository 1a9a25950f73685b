package io.manifold.cluster;

import io.manifold.core.InputException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A node's side of the store process in a JVM of its own, for {@link SharedStoreTest}: at a given
 * moment (so that two children pick a store at the same time), finds or starts the store of a
 * data directory, prints {@code STORE port=P pid=N started=B}, writes {@code count} rows, each
 * printed {@code ACK i} once committed, then {@code READY}, and holds its connection until its
 * stdin ends. A store that cannot start is {@code ERROR message}.
 *
 * <p>Arguments: data directory, name, the store's idle time in milliseconds, the moment to start
 * (epoch milliseconds), rows to write.
 */
public final class StoreChild {
  private StoreChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String who = args[1];
    Duration idle = Duration.ofMillis(Long.parseLong(args[2]));
    long at = Long.parseLong(args[3]);
    int count = Integer.parseInt(args[4]);
    long wait = at - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
    SharedStore store;
    try {
      store = SharedStore.startOrJoin(dir, new SharedStore.Settings(idle, Duration.ofSeconds(60)));
    } catch (InputException e) {
      System.out.println("ERROR " + e.getMessage());
      System.exit(1);
      return;
    }
    System.out.println("STORE port=" + store.port() + " pid=" + store.pid() + " started=" + store.started());
    System.out.flush();
    try (Connection c = DriverManager.getConnection(store.database().url(), "sa", "")) {
      createTable(c);
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO acked (who, n) VALUES (?, ?)")) {
        for (int i = 1; i <= count; i++) {
          insert.setString(1, who);
          insert.setInt(2, i);
          insert.executeUpdate();
          System.out.println("ACK " + i);
        }
      }
      System.out.println("READY");
      System.out.flush();
      while (System.in.read() >= 0) {
        // held until the test closes stdin, or kills this JVM
      }
    }
    store.close();
  }

  /** Two children may create it at once; the loser finds it made. */
  static void createTable(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS acked (who VARCHAR(20) NOT NULL, n INT NOT NULL)");
    } catch (SQLException e) {
      if (!String.valueOf(e.getMessage()).contains("already exists")) {
        throw e;
      }
    }
  }
}
