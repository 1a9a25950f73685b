package io.manifold.http;

import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Heroku's answer to a request that Pekko HTTP's parser refuses before any handler sees it (a
 * conflicting or listed {@code Content-Length}, {@code Transfer-Encoding} with
 * {@code Content-Length}, two {@code Host}s, a head beyond Pekko's raised limits): H26 with
 * status 400 and the router's bad-request page. Such a request never names its app for certain,
 * so its line goes to the node's log rather than an app's, and it is counted under the app
 * {@code ""}. Pekko makes one of these per connection (named in {@code parsing.error-handler});
 * it finds its front through the {@link FrontLog} the front binds with.
 */
public final class HerokuParsingErrors extends ParsingErrorHandler {

  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo error, LoggingAdapter log, ServerSettings settings) {
    int code = 400;
    if (log instanceof FrontLog front) {
      front.refused(code, error.summary());
    } else {
      log.info("at=error code=H26 desc=\"Request Error\" cause=\"{}\" status={}", error.summary(), code);
    }
    return ErrorPages.badRequest(code);
  }
}
