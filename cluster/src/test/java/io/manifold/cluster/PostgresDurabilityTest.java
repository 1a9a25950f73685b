package io.manifold.cluster;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.manifold.core.InputException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability scenarios against a real PostgreSQL server: {@code .ci/run} starts one on
 * 127.0.0.1 (a throw-away data directory) and sets {@code MANIFOLD_PG_URL} to
 * {@code postgres://user:password@host:port/database} of a role that may create databases. Each
 * test gets a database of its own, dropped afterwards.
 */
@EnabledIfEnvironmentVariable(named = "MANIFOLD_PG_URL", matches = "postgres(ql)?://.*")
class PostgresDurabilityTest {
  @TempDir
  Path dir;

  private String database;
  private String admin;

  @BeforeEach
  void createDatabase() throws Exception {
    URI u = URI.create(System.getenv("MANIFOLD_PG_URL"));
    String name = "manifold_t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    admin = "jdbc:postgresql://" + u.getHost() + ":" + u.getPort() + u.getPath();
    try (Connection c = DriverManager.getConnection(admin, user(u), password(u)); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    database = u.getScheme() + "://" + u.getUserInfo() + "@" + u.getHost() + ":" + u.getPort() + "/" + name;
  }

  @AfterEach
  void dropDatabase() throws Exception {
    URI u = URI.create(System.getenv("MANIFOLD_PG_URL"));
    String name = database.substring(database.lastIndexOf('/') + 1);
    try (Connection c = DriverManager.getConnection(admin, user(u), password(u)); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  private static String user(URI u) {
    return u.getUserInfo().split(":", 2)[0];
  }

  private static String password(URI u) {
    String[] p = u.getUserInfo().split(":", 2);
    return p.length > 1 ? p[1] : "";
  }

  @Test
  void theControlPlaneSurvivesARestartOnPostgres() throws Exception {
    DurableControlPlaneTest.restartScenario(dir, database);
  }

  @Test
  void everyAcknowledgedChangeSurvivesAKillDashNineOnPostgres() throws Exception {
    CrashRecoveryTest.crashScenario(dir.resolve("data"), database);
  }

  @Test
  void aWrongPasswordOrAMissingDatabaseIsAClearError() {
    URI u = URI.create(database);
    String wrong = u.getScheme() + "://" + user(u) + ":wrong@" + u.getHost() + ":" + u.getPort() + u.getPath();
    InputException e = assertThrows(InputException.class,
        () -> LocalManifold.start(ConfigFactory.parseMap(Map.of("manifold.db.url", wrong)).withFallback(DurableControlPlaneTest.config(dir))));
    assertTrue(e.getMessage().contains("PostgreSQL refused the login of user '" + user(u) + "'"), e.getMessage());
    String missing = database + "_missing";
    InputException m = assertThrows(InputException.class,
        () -> LocalManifold.start(ConfigFactory.parseMap(Map.of("manifold.db.url", missing)).withFallback(DurableControlPlaneTest.config(dir))));
    assertTrue(m.getMessage().contains("no such database"), m.getMessage());
  }
}
