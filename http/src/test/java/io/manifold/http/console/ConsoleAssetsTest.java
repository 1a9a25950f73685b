package io.manifold.http.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console's files: each one served with its type and the page's policy, nothing else. */
class ConsoleAssetsTest {
  static final ActorTestKit kit = ActorTestKit.create("console-assets");
  static final HttpClient client = HttpClient.newHttpClient();
  static ServerBinding binding;
  static final Pattern MARKUP = Pattern.compile("\\.(?:inner|outer)HTML\\s*=|insertAdjacentHTML|document\\.write");
  /** A script, style, font, image or module from another origin (an SVG namespace is no load). */
  static final Pattern ELSEWHERE = Pattern.compile("(?:src|href)\\s*=\\s*[\"']?(?:https?:)?//|url\\(\\s*[\"']?(?:https?:)?//|@import|from\\s+[\"'](?:https?:)?//");

  @BeforeAll
  static void bind() throws Exception {
    binding = Http.get(kit.system()).newServerAt("127.0.0.1", 0).bind(ConsoleAssets.route()).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everyFileOfTheConsoleIsListedSoThatNoneIsForgottenAtServing() throws Exception {
    Path root = Path.of(ConsoleAssets.class.getClassLoader().getResource("io/manifold/http/console/index.html").toURI()).getParent();
    Set<String> onDisk = new TreeSet<>();
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".class"))
          .forEach(p -> onDisk.add(root.relativize(p).toString().replace('\\', '/')));
    }
    assertEquals(onDisk, new TreeSet<>(ConsoleAssets.FILES));
  }

  @Test
  void thePageAndItsScriptsAreServedWithTheirTypesAndAStrictPolicy() throws Exception {
    HttpResponse<String> page = get("/");
    assertEquals(200, page.statusCode());
    assertEquals("text/html; charset=UTF-8", page.headers().firstValue("Content-Type").orElse(""));
    String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'"), policy);
    assertEquals("no-cache", page.headers().firstValue("Cache-Control").orElse(""));
    for (String js : ConsoleAssets.FILES.stream().filter(f -> f.endsWith(".js")).toList()) {
      HttpResponse<String> r = get("/console/" + js);
      assertEquals(200, r.statusCode(), js);
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/javascript"), js + " must be a module's type");
    }
    assertTrue(get("/console/console.css").headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
  }

  @Test
  void nothingElseIsServed() throws Exception {
    for (String path : List.of("/console/nope.js", "/console/../reference.conf", "/console/", "/console/js/")) {
      assertEquals(404, get(path).statusCode(), path);
    }
  }

  @Test
  void noPageLoadsAnythingFromElsewhere() throws Exception {
    for (String file : ConsoleAssets.FILES) {
      String text = get(file.equals("index.html") ? "/" : "/console/" + file).body();
      assertTrue(!ELSEWHERE.matcher(text).find(), file + " loads something from another site: " + ELSEWHERE.matcher(text).results().map(m -> m.group()).toList());
      assertTrue(!MARKUP.matcher(text).find(), file + ": data goes in as text, never as markup");
    }
  }
}
