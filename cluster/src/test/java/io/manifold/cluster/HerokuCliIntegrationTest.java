package io.manifold.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.manifold.testing.Examples;
import io.manifold.testing.Processes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unmodified {@code heroku} CLI (npm {@code heroku@11}) driving a manifold on 127.0.0.1, with
 * the environment the README gives. Runs when {@code MANIFOLD_HEROKU_CLI} names the CLI's
 * executable ({@code .ci/run} installs it and sets it); skipped otherwise, saying so.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HerokuCliIntegrationTest {
  static final String TOKEN = "heroku-cli-test-token-0123456789";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient http = HttpClient.newHttpClient();
  static String heroku;
  static LocalManifold manifold;

  @TempDir
  static Path home;

  record Run(int exit, String out) {}

  @BeforeAll
  static void start() {
    heroku = System.getenv("MANIFOLD_HEROKU_CLI");
    Assumptions.assumeTrue(heroku != null && Files.isExecutable(Path.of(heroku)),
        "MANIFOLD_HEROKU_CLI does not name the heroku CLI; .ci/run installs it (npm install heroku@11)");
    manifold = LocalManifold.start(ConfigFactory.parseMap(Map.of(
        "manifold.db.url", "memory", "manifold.data-dir", home.resolve("data").toString(),
        "manifold.router.port", 0, "manifold.api.port", 0, "manifold.api.token", TOKEN,
        "manifold.user", "cli@manifold.test", "manifold.dyno.stop-grace", "5s")));
  }

  @AfterAll
  static void stop() {
    if (manifold != null) {
      manifold.close();
    }
  }

  /** Runs the CLI with the README's environment, bounded in time. */
  static Run heroku(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(heroku));
    command.addAll(List.of(args));
    ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = b.environment();
    env.put("HEROKU_HOST", manifold.apiUrl());
    env.put("HEROKU_PARTICLEBOARD_URL", manifold.apiUrl());
    env.put("HEROKU_API_KEY", TOKEN);
    env.put("DISABLE_TELEMETRY", "true");
    env.put("HEROKU_SKIP_ANALYTICS", "1");
    env.put("HEROKU_SKIP_NEW_VERSION_CHECK", "true");
    env.put("HEROKU_DISABLE_AUTOUPDATE", "1");
    env.put("HOME", home.toString());
    env.put("GIT_CONFIG_GLOBAL", home.resolve("gitconfig").toString());
    env.put("HEROKU_COLOR", "0");
    Process p = b.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("heroku " + String.join(" ", args) + " did not finish");
    }
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  static JsonNode api(String method, String path, String body) throws IOException, InterruptedException {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(manifold.apiUrl() + path))
        .header("Authorization", "Bearer " + TOKEN).header("Accept", "application/vnd.heroku+json; version=3")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return JSON.readTree(http.send(r.build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  static JsonNode await(String path, Predicate<JsonNode> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = api("GET", path, null);
      if (condition.test(last)) {
        return last;
      }
      Processes.sleep(200);
    }
    throw new AssertionError(path + " never got there: " + last);
  }

  static long upWebDynos(JsonNode dynos) {
    long n = 0;
    for (JsonNode d : dynos) {
      if (d.get("type").asText().equals("web") && d.get("state").asText().equals("up")) {
        n++;
      }
    }
    return n;
  }

  @Test
  @Order(1)
  void appsCreateMakesAnAppThatADeployFills() throws Exception {
    Run created = heroku("apps:create", "shop");
    assertEquals(0, created.exit(), created.out());
    assertTrue(created.out().contains("Creating shop... done"), created.out());
    assertEquals("shop", api("GET", "/apps/shop", null).get("name").asText());
    // Manifold's deploy: the code of a directory on this machine (the heroku CLI would git push)
    api("POST", "/apps/shop/builds", "{\"source_blob\":{\"url\":\"" + Examples.hello().toUri() + "\"}}");
    Run apps = heroku("apps");
    assertTrue(apps.out().contains("=== cli@manifold.test Apps") && apps.out().contains("shop"), apps.out());
  }

  @Test
  @Order(2)
  void psScaleAndPsShowTheDynos() throws Exception {
    Run scaled = heroku("ps:scale", "web=2", "worker=0", "-a", "shop");
    assertEquals(0, scaled.exit(), scaled.out());
    assertTrue(scaled.out().contains("now running web at 2:Basic"), scaled.out());
    await("/apps/shop/dynos", d -> upWebDynos(d) == 2);
    Run ps = heroku("ps", "-a", "shop");
    assertTrue(ps.out().contains("=== web (Basic): java") && ps.out().contains("(2)"), ps.out());
    assertTrue(ps.out().matches("(?s).*web\\.1: up \\d{4}/\\d\\d/\\d\\d .*web\\.2: up .*"), ps.out());
    Run bad = heroku("ps:scale", "clock=1", "-a", "shop");
    assertEquals(2, bad.exit(), bad.out());
    assertTrue(bad.out().contains("no process type 'clock'") && bad.out().contains("Error ID: invalid_params"), bad.out());
  }

  @Test
  @Order(3)
  void configSetIsAReleaseTheDynosRestartInto() throws Exception {
    Run set = heroku("config:set", "GREETING=Ahoy", "-a", "shop");
    assertEquals(0, set.exit(), set.out());
    assertTrue(set.out().contains("Setting GREETING and restarting shop... done, v3"), set.out());
    Run config = heroku("config", "-a", "shop");
    assertTrue(config.out().contains("GREETING: Ahoy"), config.out());
    Run releases = heroku("releases", "-a", "shop");
    assertTrue(releases.out().contains("Current: v3") && releases.out().contains("Set GREETING config vars"), releases.out());
    await("/apps/shop/dynos", d -> upWebDynos(d) == 2 && d.get(0).get("release").get("version").asInt() == 3);
    HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + manifold.port() + "/"))
        .header("Host", "shop.localhost").build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(page.body().startsWith("Ahoy from web."), page.body());
  }

  @Test
  @Order(4)
  void psRestartRestartsTheDynos() throws Exception {
    Run restart = heroku("ps:restart", "-a", "shop");
    assertEquals(0, restart.exit(), restart.out());
    assertTrue(restart.out().contains("Restarting all dynos on shop... done"), restart.out());
    Run log = heroku("logs", "-n", "200", "-a", "shop");
    assertTrue(log.out().contains("heroku[web.1]: Restarting"), log.out());
    await("/apps/shop/dynos", d -> upWebDynos(d) == 2);
  }

  @Test
  @Order(5)
  void logsShowsTheLogAndTailFollowsIt() throws Exception {
    Run log = heroku("logs", "-a", "shop", "--source", "app", "--dyno", "api");
    assertEquals(0, log.exit(), log.out());
    assertTrue(log.out().contains("app[api]: Set GREETING config vars by user cli@manifold.test"), log.out());
    assertTrue(!log.out().contains("heroku[router]"), "filtered to app[api]: " + log.out());

    List<String> command = List.of(heroku, "logs", "--tail", "-a", "shop");
    ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
    b.environment().putAll(Map.of("HEROKU_HOST", manifold.apiUrl(), "HEROKU_PARTICLEBOARD_URL", manifold.apiUrl(),
        "HEROKU_API_KEY", TOKEN, "DISABLE_TELEMETRY", "true", "HEROKU_SKIP_NEW_VERSION_CHECK", "true",
        "HEROKU_DISABLE_AUTOUPDATE", "1", "HOME", home.toString(), "GIT_CONFIG_GLOBAL", home.resolve("gitconfig").toString()));
    Process tail = b.start();
    StringBuilder seen = new StringBuilder();
    Thread reader = new Thread(() -> {
      try {
        byte[] buf = new byte[4096];
        for (int n; (n = tail.getInputStream().read(buf)) > 0; ) {
          synchronized (seen) {
            seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
          }
        }
      } catch (IOException ended) {
        // the tail was stopped
      }
    });
    reader.setDaemon(true);
    reader.start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      boolean found = false;
      while (!found && System.nanoTime() < deadline) {
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + manifold.port() + "/tailed"))
            .header("Host", "shop.localhost").build(), HttpResponse.BodyHandlers.discarding());
        Processes.sleep(500);
        synchronized (seen) {
          found = seen.toString().contains("heroku[router]: at=info method=GET path=\"/tailed\"");
        }
      }
      assertTrue(found, "the tail shows a request's router line: " + seen);
    } finally {
      tail.destroy();
      tail.waitFor(10, TimeUnit.SECONDS);
      tail.destroyForcibly();
    }
  }

  @Test
  @Order(6)
  void maintenanceOnIsKept() throws Exception {
    Run on = heroku("maintenance:on", "-a", "shop");
    assertEquals(0, on.exit(), on.out());
    assertTrue(on.out().contains("Enabling maintenance mode for shop... done"), on.out());
    assertTrue(api("GET", "/apps/shop", null).get("maintenance").asBoolean());
    assertEquals("on", heroku("maintenance", "-a", "shop").out().strip().lines().reduce((a, b) -> b).orElse(""));
  }

  @Test
  @Order(7)
  void aWrongTokenIsTheCliFamiliarError() throws Exception {
    ProcessBuilder b = new ProcessBuilder(heroku, "apps").redirectErrorStream(true);
    b.environment().putAll(Map.of("HEROKU_HOST", manifold.apiUrl(), "HEROKU_PARTICLEBOARD_URL", manifold.apiUrl(),
        "HEROKU_API_KEY", "wrong", "DISABLE_TELEMETRY", "true", "HEROKU_SKIP_NEW_VERSION_CHECK", "true",
        "HEROKU_DISABLE_AUTOUPDATE", "1", "HOME", home.toString(), "GIT_CONFIG_GLOBAL", home.resolve("gitconfig").toString()));
    Process p = b.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(1, p.exitValue(), out);
    assertTrue(out.contains("HEROKU_API_KEY is invalid"), out);
  }
}
