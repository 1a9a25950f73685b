package io.manifold.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.manifold.cluster.LocalManifold;
import io.manifold.testing.Processes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A real manifold in this JVM (router and API on free ports, a token of its own, dynos as real
 * shell processes), and the {@code manifold} command run in-process against it, its output
 * captured. One per test class.
 */
final class CliHarness implements AutoCloseable {
  static final String TOKEN = "cli-test-token-0123456789";
  static final String USER = "developer@manifold.local";

  final LocalManifold node;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** What a command did: its exit status and what it printed on each stream. */
  record Run(int status, String out, String err) {
    @Override
    public String toString() {
      return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  CliHarness() {
    // as Main does: SLF4J's notes on its own start are not the test's business
    System.setProperty("slf4j.internal.verbosity", "ERROR");
    node = LocalManifold.start(ConfigFactory.parseMap(Map.of(
        "manifold.db.url", "memory",
        "manifold.router.port", 0,
        "manifold.api.port", 0,
        "manifold.api.token", TOKEN,
        "manifold.dyno.stop-grace", "2s")));
  }

  /** A directory with a Procfile. */
  static Path code(Path parent, String name, String procfile) throws Exception {
    Path dir = Files.createDirectories(parent.resolve(name));
    Files.writeString(dir.resolve("Procfile"), procfile);
    return dir;
  }

  /** {@code manifold <command> --api <this manifold> --token <its token> <args...>}. */
  Run run(String command, String... args) {
    List<String> all = new ArrayList<>(List.of(command, "--api", node.apiUrl(), "--token", TOKEN));
    all.addAll(List.of(args));
    return runAsGiven(all.toArray(String[]::new));
  }

  /** {@code manifold <args...>} exactly as given. */
  static Run runAsGiven(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = commandLine(out, err).execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  static picocli.CommandLine commandLine(StringWriter out, StringWriter err) {
    picocli.CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli;
  }

  /** The API's answer to a GET, to check what a command changed. */
  JsonNode get(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.apiUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Accept", PlatformClient.ACCEPT)
            .header("Authorization", "Bearer " + TOKEN).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new AssertionError("GET " + path + ": " + r.statusCode() + " " + r.body());
    }
    return PlatformClient.JSON.readTree(r.body());
  }

  /** The app's dynos that are up, by name. */
  List<String> upDynos(String app) throws Exception {
    List<String> up = new ArrayList<>();
    get("/apps/" + app + "/dynos").forEach(d -> {
      if (d.path("state").asText().equals("up")) {
        up.add(d.path("name").asText());
      }
    });
    up.sort(null);
    return up;
  }

  /** Asks {@code probe} until its answer passes {@code until}; bounded. */
  static <T> T await(String what, Duration within, Supplier<T> probe, Predicate<T> until) {
    long deadline = System.nanoTime() + within.toNanos();
    T last = probe.get();
    while (!until.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within + ": " + what + "; last seen: " + last);
      }
      Processes.sleep(50);
      last = probe.get();
    }
    return last;
  }

  /** Waits until exactly these dynos are up. */
  void awaitUp(String app, String... dynos) {
    List<String> wanted = List.of(dynos);
    await(app + " running " + wanted, Duration.ofSeconds(20), () -> {
      try {
        return upDynos(app);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, wanted::equals);
  }

  @Override
  public void close() {
    node.close();
    List<String> left = Processes.awaitNoDescendants(Duration.ofSeconds(10));
    if (!left.isEmpty()) {
      throw new AssertionError("processes outlived the manifold: " + left);
    }
  }
}
