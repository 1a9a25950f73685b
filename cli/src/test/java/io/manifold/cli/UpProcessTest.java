package io.manifold.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.testing.Examples;
import io.manifold.testing.Processes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code manifold up} as a person runs it: its own JVM, an app with a web dyno and a dyno that
 * ignores SIGTERM, config vars from {@code .env}, a request through the router, then Ctrl-C
 * (SIGINT) or SIGTERM. Every dyno must be stopped the Heroku way and no process may outlive it.
 */
class UpProcessTest {
  private static final Pattern URL = Pattern.compile("manifold: http://shop\\.localhost:(\\d+)/");

  private static Path app(Path dir) throws Exception {
    Path app = Files.createDirectories(dir.resolve("shop"));
    Path web = Examples.hello().resolve("Web.java").toAbsolutePath();
    Files.writeString(app.resolve("Procfile"), """
        web: exec java -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 %s
        stubborn: trap '' TERM; echo stubborn ready; while true; do sleep 1; done
        """.formatted(web));
    Files.writeString(app.resolve(".env"), "GREETING=Ahoy\n");
    return app;
  }

  /** Starts {@code manifold up} in a JVM of its own, with this test's classpath and a config directory of its own. */
  private static Process up(Path app, Path config, List<String> output) throws Exception {
    ProcessBuilder b = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-cp", System.getProperty("java.class.path"),
            Main.class.getName(), "up", app.toString(), "--port", "0", "--api-port", "0", "--stop-grace", "2s")
        .redirectErrorStream(true);
    b.environment().put("XDG_CONFIG_HOME", config.toString());
    b.environment().put("XDG_DATA_HOME", config.resolve("data").toString());
    Process p = b.start();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          output.add(line);
        }
      } catch (Exception ignored) {
        // the process ended
      }
    });
    reader.setDaemon(true);
    reader.start();
    return p;
  }

  private static String await(List<String> output, String fragment, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : output) {
        if (line.contains(fragment)) {
          return line;
        }
      }
      Processes.sleep(50);
    }
    throw new AssertionError("no line with '" + fragment + "' within " + within + ":\n" + String.join("\n", output));
  }

  private void runThenStopWith(String signal, Path dir) throws Exception {
    List<String> output = new CopyOnWriteArrayList<>();
    Path config = Files.createDirectories(dir.resolve("config"));
    Process manifold = up(app(dir), config, output);
    try {
      Matcher url = URL.matcher(await(output, "manifold: http://shop.localhost:", Duration.ofSeconds(60)));
      assertTrue(url.find());
      int port = Integer.parseInt(url.group(1));
      await(output, "heroku[web.1]: State changed from starting to up", Duration.ofSeconds(60));
      await(output, "app[stubborn.1]: stubborn ready", Duration.ofSeconds(30));

      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
          .header("Host", "shop.localhost:" + port).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals("Ahoy from web.1\n", r.body(), "config vars come from .env");
      await(output, "heroku[router]: at=info method=GET path=\"/\"", Duration.ofSeconds(10));

      // the API's token is kept for the other commands, readable by its owner only
      Path file = config.resolve("manifold").resolve("config.json");
      assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      String heroku = await(output, "export HEROKU_HOST=http://127.0.0.1:", Duration.ofSeconds(1));
      assertTrue(heroku.contains("HEROKU_API_KEY=") && heroku.contains("DISABLE_TELEMETRY=true"), heroku);

      new ProcessBuilder("kill", "-" + signal, Long.toString(manifold.pid())).start().waitFor(5, TimeUnit.SECONDS);
      assertTrue(manifold.waitFor(60, TimeUnit.SECONDS), "manifold stops:\n" + String.join("\n", output));
      await(output, "heroku[web.1]: Stopping all processes with SIGTERM", Duration.ofSeconds(1));
      await(output, "heroku[web.1]: Process exited with status 143", Duration.ofSeconds(1));
      await(output, "heroku[stubborn.1]: Error R12 (Exit timeout) -> Process failed to exit within 2 seconds of SIGTERM", Duration.ofSeconds(1));
      await(output, "heroku[stubborn.1]: Process exited with status 137", Duration.ofSeconds(1));
      assertFalse(String.join("\n", output).contains("\u001b["), "no colours when the output is not a terminal");
      List<String> left = Processes.awaitNoDescendants(Duration.ofSeconds(10));
      assertTrue(left.isEmpty(), "processes left behind: " + left);
    } finally {
      manifold.destroyForcibly();
      ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void ctrlCStopsEveryDynoGracefullyAndLeavesNoProcess(@TempDir Path dir) throws Exception {
    runThenStopWith("INT", dir);
  }

  @Test
  void sigtermStopsEveryDynoGracefullyAndLeavesNoProcess(@TempDir Path dir) throws Exception {
    runThenStopWith("TERM", dir);
  }
}
