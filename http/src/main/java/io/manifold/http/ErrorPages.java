package io.manifold.http;

import io.manifold.core.routing.Router;
import java.util.Collection;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * The pages the router answers with when it cannot reach the app: Heroku's "Application error"
 * for the H-codes, its maintenance page (H80), its "no such app" page for a host that names no
 * app. Self-contained HTML, never cached, as Heroku serves them.
 *
 * <p>An app's {@code ERROR_PAGE_URL} or {@code MAINTENANCE_PAGE_URL} replaces the page the way
 * Heroku does it: the router answers with the same status and a page that shows the app's URL in
 * a full-window iframe. The client's browser loads it; the router never fetches anything, so a
 * slow or missing page costs the router nothing and needs no cache.
 */
final class ErrorPages {
  /** Heroku's status for a client that went away or stalled; Pekko has no name for it. */
  static final StatusCode CLIENT_CLOSED = StatusCodes.custom(499, "Client Closed Request", "", true, false);

  private ErrorPages() {}

  static HttpResponse applicationError(int status, Router.AppSettings app) {
    if (app != null && app.errorPageUrl() != null) {
      return framed(status, "Application Error", app.errorPageUrl());
    }
    return page(status, "Application Error",
        "<h1>Application error</h1>"
            + "<p>An error occurred in the application and your page could not be served. If you are the application"
            + " owner, check your logs for details. You can do this from the Manifold CLI with the command"
            + "<br><code>manifold logs --tail</code></p>");
  }

  static HttpResponse maintenance(Router.AppSettings app) {
    if (app.maintenancePageUrl() != null) {
      return framed(503, "Offline for Maintenance", app.maintenancePageUrl());
    }
    return page(503, "Offline for Maintenance",
        "<h1>Offline for maintenance</h1>"
            + "<p>This app is undergoing maintenance right now. Please check back later.</p>");
  }

  /** A request the router refuses before it reaches the app (H26): Heroku answers without the app's page. */
  static HttpResponse badRequest(int status) {
    return page(status, "Bad Request", "<h1>Bad request</h1><p>The router could not accept this request.</p>");
  }

  static HttpResponse noSuchApp(String host, Collection<String> apps, String domain, int port) {
    String known = apps.isEmpty() ? "<p>This manifold runs no apps yet.</p>"
        : "<p>Apps on this manifold:</p><ul>" + apps.stream().sorted()
            .map(a -> "<li><a href=\"http://" + a + "." + domain + ":" + port + "/\">" + a + "</a></li>")
            .collect(Collectors.joining()) + "</ul>";
    return page(404, "No such app",
        "<h1>There's nothing here, yet.</h1><p>No app is configured at the host <code>" + escape(host) + "</code>.</p>" + known);
  }

  private static HttpResponse framed(int status, String title, String url) {
    return page(status, title, "<iframe src=\"" + escape(url) + "\""
        + " style=\"position:fixed;top:0;left:0;width:100%;height:100%;border:0\"></iframe>");
  }

  private static HttpResponse page(int status, String title, String body) {
    String html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + title + "</title>"
        + "<style>body{font-family:sans-serif;max-width:40em;margin:4em auto;color:#333}code{background:#eee;padding:0 .2em}</style>"
        + "</head><body>" + body + "</body></html>";
    return HttpResponse.create()
        .withStatus(status == 499 ? CLIENT_CLOSED : StatusCodes.get(status))
        .addHeader(RawHeader.create("Cache-Control", "no-cache, no-store"))
        .withEntity(ContentTypes.TEXT_HTML_UTF8, html);
  }

  static String escape(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
