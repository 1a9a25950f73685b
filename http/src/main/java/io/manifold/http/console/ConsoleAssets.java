package io.manifold.http.console;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.extractUnmatchedPath;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.pathSingleSlash;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The console's files: {@code /} is the page, {@code /console/<file>} its scripts, styles and
 * icon. A fixed list, read once from the classpath and kept in memory (a few tens of KB), so that
 * serving one is a lookup: no file system, no blocking, and nothing else under {@code /console/}
 * can be asked for.
 */
public final class ConsoleAssets {
  static final List<String> FILES = List.of(
      "index.html", "console.css", "favicon.svg",
      "js/main.js", "js/api.js", "js/dom.js", "js/problems.js", "js/poll.js", "js/time.js", "js/charts.js",
      "js/apps.js", "js/app.js", "js/formation.js", "js/dynos.js", "js/config.js", "js/releases.js",
      "js/stats.js", "js/logs.js", "js/cluster.js", "js/scenarios.js");

  /**
   * Only this origin's scripts and styles; data from this origin and the API's loopback name (a log
   * stream's URL says 127.0.0.1 while the page may be open as localhost); never framed.
   */
  static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self' http://127.0.0.1:* http://localhost:*; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final String ROOT = "io/manifold/http/console/";
  private static final ContentType JS = ContentTypes.create(MediaTypes.APPLICATION_JAVASCRIPT, HttpCharsets.UTF_8);

  private final Map<String, HttpResponse> files = new LinkedHashMap<>();

  private ConsoleAssets() {
    List<HttpHeader> headers = List.of(
        // revalidated (ETag, 304) on every load, so that a new Manifold's console is never stale
        RawHeader.create("Cache-Control", "no-cache"),
        RawHeader.create("X-Content-Type-Options", "nosniff"),
        RawHeader.create("Referrer-Policy", "no-referrer"),
        RawHeader.create("Content-Security-Policy", POLICY));
    for (String name : FILES) {
      files.put(name, HttpResponse.create().withEntity(HttpEntities.create(type(name), read(name))).addHeaders(headers));
    }
  }

  /** The console's routes; they need no token and answer only GET. */
  public static Route route() {
    ConsoleAssets assets = new ConsoleAssets();
    return get(() -> concat(
        pathSingleSlash(() -> complete(assets.files.get("index.html"))),
        pathPrefix("console", () -> extractUnmatchedPath(rest -> {
          HttpResponse file = assets.files.get(rest.startsWith("/") ? rest.substring(1) : rest);
          return complete(file != null ? file : HttpResponse.create().withStatus(StatusCodes.NOT_FOUND)
              .withEntity(ContentTypes.TEXT_PLAIN_UTF8, "No such file in the console: " + rest));
        }))));
  }

  private static ContentType type(String name) {
    if (name.endsWith(".html")) {
      return ContentTypes.TEXT_HTML_UTF8;
    } else if (name.endsWith(".css")) {
      return ContentTypes.create(MediaTypes.TEXT_CSS, HttpCharsets.UTF_8);
    } else if (name.endsWith(".svg")) {
      return ContentTypes.create(MediaTypes.IMAGE_SVG_XML);
    }
    return JS;
  }

  private static byte[] read(String name) {
    try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(ROOT + name)) {
      if (in == null) {
        throw new IllegalStateException("the console's " + name + " is missing from the classpath (" + ROOT + name + ")");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
