package io.manifold.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.core.InputException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the API is (flags, environment, the file {@code manifold up} writes) and which app a
 * command is about; and what a person sees when the API is not there or refuses the token.
 */
class FindingTheApiAndTheAppTest {
  static CliHarness manifold;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() {
    manifold = new CliHarness();
  }

  @AfterAll
  static void stop() {
    manifold.close();
  }

  @Test
  void theAppIsImpliedOnlyWhenTheManifoldRunsExactlyOne() throws Exception {
    CliHarness.Run none = manifold.run("ps");
    assertEquals(1, none.status(), none.toString());
    assertEquals("manifold: -a/--app: this manifold runs no apps yet; create one with manifold apps:create NAME --dir DIR\n", none.err());

    manifold.node.createApp("solo", CliHarness.code(dir, "solo", "worker: exec sleep 600\n"), Map.of(), Map.of("worker", 1));
    manifold.awaitUp("solo", "worker.1");
    CliHarness.Run one = manifold.run("ps");
    assertEquals(0, one.status(), one.toString());
    assertTrue(one.out().startsWith("=== worker (Basic): exec sleep 600 (1)"), one.out());

    manifold.node.createApp("duo", CliHarness.code(dir, "duo", "worker: exec sleep 600\n"), Map.of(), Map.of());
    CliHarness.Run two = manifold.run("config");
    assertEquals(1, two.status(), two.toString());
    assertEquals("manifold: -a/--app: which app? this manifold runs 2 (duo, solo); give one with -a APP or set MANIFOLD_APP\n", two.err());
    assertEquals(0, manifold.run("config", "-a", "duo").status());
  }

  @Test
  void anUnknownAppIsTheApisNotFound() {
    CliHarness.Run r = manifold.run("ps", "-a", "nowhere");
    assertEquals(2, r.status(), r.toString());
    assertEquals("", r.out());
    assertEquals("manifold: Couldn't find that app.\nError ID: not_found\n", r.err());
  }

  @Test
  void anApiThatIsNotRunningGetsAHintAndExitOne() throws IOException {
    int free;
    try (ServerSocket s = new ServerSocket(0)) {
      free = s.getLocalPort();
    }
    CliHarness.Run r = CliHarness.runAsGiven("apps", "--api", "http://127.0.0.1:" + free, "--token", "t");
    assertEquals(1, r.status(), r.toString());
    assertEquals("manifold: no manifold answers at http://127.0.0.1:" + free + "; start one with ./manifold up"
        + " (or give the API's address with --api or MANIFOLD_API_URL)\n", r.err());
  }

  @Test
  void aBadApiUrlIsAUsageError() {
    CliHarness.Run r = CliHarness.runAsGiven("apps", "--api", "127.0.0.1:5555", "--token", "t");
    assertEquals(1, r.status(), r.toString());
    assertEquals("manifold: --api: expected the API's URL, such as http://127.0.0.1:5555, but found '127.0.0.1:5555'\n", r.err());
    CliHarness.Run flag = CliHarness.runAsGiven("ps", "--api");
    assertEquals(1, flag.status(), "a flag without its value is a usage error: " + flag);
  }

  @Test
  void theApiIsFoundInTheFlagsThenTheEnvironmentThenTheFileManifoldUpWrote() {
    ManifoldConfigFile file = new ManifoldConfigFile(dir.resolve("config").resolve("config.json"));
    file.write(Map.of("api_url", "http://127.0.0.1:7001", "token", "from-file"));
    Map<String, String> env = Map.of("MANIFOLD_API_URL", "http://127.0.0.1:7002/", "MANIFOLD_API_TOKEN", "from-env");

    assertEquals(new ApiOptions.Endpoint(URI.create("http://127.0.0.1:7003"), "from-flag"),
        ApiOptions.resolve("http://127.0.0.1:7003", "from-flag", env::get, file));
    assertEquals(new ApiOptions.Endpoint(URI.create("http://127.0.0.1:7002"), "from-env"),
        ApiOptions.resolve(null, null, env::get, file));
    assertEquals(new ApiOptions.Endpoint(URI.create("http://127.0.0.1:7001"), "from-file"),
        ApiOptions.resolve(null, null, name -> null, file));

    ManifoldConfigFile none = new ManifoldConfigFile(dir.resolve("nothing").resolve("config.json"));
    InputException noToken = assertThrows(InputException.class, () -> ApiOptions.resolve(null, null, name -> null, none));
    assertTrue(noToken.getMessage().startsWith("--token: no API token: give --token or set MANIFOLD_API_TOKEN"), noToken.getMessage());
    assertEquals(URI.create(ApiOptions.DEFAULT_URL), ApiOptions.resolve(null, "t", name -> null, none).url(),
        "without a URL anywhere, the one manifold up serves by default");
    InputException badEnv = assertThrows(InputException.class,
        () -> ApiOptions.resolve(null, "t", Map.of("MANIFOLD_API_URL", "ftp://x")::get, none));
    assertTrue(badEnv.getMessage().startsWith("MANIFOLD_API_URL: expected the API's URL"), badEnv.getMessage());
  }

  @Test
  void theAppIsTheFlagThenManifoldAppThenTheOnlyOne() {
    Map<String, String> env = Map.of("MANIFOLD_APP", "from-env");
    assertEquals("from-flag", AppOption.resolve("from-flag", env::get, () -> List.of("a", "b")));
    assertEquals("from-env", AppOption.resolve(null, env::get, () -> List.of("a", "b")));
    assertEquals("only", AppOption.resolve(null, name -> null, () -> List.of("only")));
    InputException which = assertThrows(InputException.class, () -> AppOption.resolve(null, name -> null, () -> List.of("a", "b")));
    assertTrue(which.getMessage().contains("this manifold runs 2 (a, b)"), which.getMessage());
  }
}
