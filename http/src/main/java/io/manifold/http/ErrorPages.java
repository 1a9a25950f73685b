package io.manifold.http;

import java.util.Collection;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * The pages the router answers with when it cannot reach the app: Heroku's "Application error"
 * for the H-codes, and its "no such app" page for a host that names no app. Self-contained HTML,
 * never cached, as Heroku serves them.
 */
final class ErrorPages {
  private ErrorPages() {}

  static HttpResponse applicationError(int status) {
    return page(status, "Application Error",
        "<h1>Application error</h1>"
            + "<p>An error occurred in the application and your page could not be served. If you are the application"
            + " owner, check your logs for details. You can do this from the Manifold CLI with the command"
            + "<br><code>manifold logs --tail</code></p>");
  }

  static HttpResponse noSuchApp(String host, Collection<String> apps, String domain, int port) {
    String known = apps.isEmpty() ? "<p>This manifold runs no apps yet.</p>"
        : "<p>Apps on this manifold:</p><ul>" + apps.stream().sorted()
            .map(a -> "<li><a href=\"http://" + a + "." + domain + ":" + port + "/\">" + a + "</a></li>")
            .collect(Collectors.joining()) + "</ul>";
    return page(404, "No such app",
        "<h1>There's nothing here, yet.</h1><p>No app is configured at the host <code>" + escape(host) + "</code>.</p>" + known);
  }

  private static HttpResponse page(int status, String title, String body) {
    String html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + title + "</title>"
        + "<style>body{font-family:sans-serif;max-width:40em;margin:4em auto;color:#333}code{background:#eee;padding:0 .2em}</style>"
        + "</head><body>" + body + "</body></html>";
    return HttpResponse.create()
        .withStatus(StatusCodes.get(status))
        .addHeader(RawHeader.create("Cache-Control", "no-cache, no-store"))
        .withEntity(ContentTypes.TEXT_HTML_UTF8, html);
  }

  private static String escape(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
