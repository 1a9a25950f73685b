package io.manifold.http;

import io.manifold.core.routing.HCode;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import org.apache.pekko.http.scaladsl.model.EntityStreamException;
import org.apache.pekko.http.scaladsl.model.IllegalResponseException;
import org.apache.pekko.stream.BufferOverflowException;

/**
 * What a failed exchange with a dyno means in Heroku's words. The router's connections to dynos
 * ({@link DynoWire}) and Pekko HTTP's client (for upgrades) report a
 * connection that could not be made, a response refused and a connection that closed early as
 * exceptions; their types and texts say which.
 */
final class Failures {
  /** The H-code and, for H17 and H25, Heroku's {@code cause=}. */
  record Cause(HCode code, String cause) {
    /** The dyno never saw the request: another dyno may be tried. */
    boolean beforeSending() {
      return code == HCode.H19 || code == HCode.H21;
    }
  }

  private Failures() {}

  static Cause classify(Throwable failure, Exchange ex) {
    HCode fault = ex.clientFault;
    if (fault != null) {
      return new Cause(fault, null);
    }
    Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    String text = String.valueOf(t.getMessage()) + (t.getCause() == null ? "" : " " + t.getCause());
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof DynoWire.BadResponse bad) {
        return new Cause(bad.code, bad.cause);
      }
      if (c instanceof StatusLineCheck.MissingReasonPhrase) {
        return new Cause(HCode.H17, null);
      }
      if (c instanceof UnknownHostException) {
        return new Cause(HCode.H21, null); // no connection could be made, as when refused: the dyno never saw the request
      }
    }
    if (t instanceof BufferOverflowException) {
      return new Cause(HCode.H11, null);
    }
    if (text.contains("Connect timeout")) {
      return new Cause(HCode.H19, null);
    }
    if (text.contains("Connection refused")) {
      return new Cause(HCode.H21, null);
    }
    if (t instanceof IllegalResponseException || t instanceof EntityStreamException
        || text.contains("Illegal response") || text.contains("Illegal HTTP")) {
      if (text.contains("exceeds the configured limit") || text.contains("header too long")) {
        return new Cause(HCode.H25, text.contains("reason phrase") || text.contains("status") ? "oversized status line" : "oversized header");
      }
      if (text.contains("Content-Length")) {
        return new Cause(HCode.H25, "invalid content length");
      }
      return new Cause(HCode.H17, null);
    }
    return new Cause(HCode.H13, null);
  }
}
