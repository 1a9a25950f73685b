package io.manifold.core.routing;

import io.manifold.core.logs.LogLine;
import java.time.Instant;

/**
 * One line of {@code heroku[router]}, in Heroku's field order:
 * {@code [sock=..] at=.. [code=.. desc=".."] [cause=".."] method= path=".." host= request_id= fwd=".."
 * dyno= connect=Nms service=Nms status= bytes= protocol=}. A value that is not known is written as
 * {@code key=} with nothing after it, as Heroku writes it.
 *
 * @param cause why a request was refused (H26, H25), or null
 * @param connectMillis -1 when no connection was made
 * @param serviceMillis -1 when the request was never sent to a dyno
 * @param status 0 when none was given
 * @param bytes -1 when nothing was sent
 */
public record RouterLine(
    HCode code,
    String sock,
    String cause,
    String method,
    String path,
    String host,
    String requestId,
    String fwd,
    String dyno,
    long connectMillis,
    long serviceMillis,
    int status,
    long bytes,
    String protocol) {

  public String message() {
    StringBuilder b = new StringBuilder(256);
    if (sock != null) {
      b.append("sock=").append(sock).append(' ');
    }
    b.append("at=").append(code == null ? "info" : code.level());
    if (code != null) {
      b.append(" code=").append(code.name()).append(" desc=\"").append(code.desc()).append('"');
    }
    if (cause != null) {
      b.append(" cause=\"").append(cause).append('"');
    }
    b.append(" method=").append(method);
    b.append(" path=\"").append(path).append('"');
    b.append(" host=").append(host);
    b.append(" request_id=").append(requestId);
    b.append(" fwd=\"").append(fwd).append('"');
    b.append(" dyno=").append(dyno == null ? "" : dyno);
    b.append(" connect=");
    if (connectMillis >= 0) {
      b.append(connectMillis).append("ms");
    }
    b.append(" service=");
    if (serviceMillis >= 0) {
      b.append(serviceMillis).append("ms");
    }
    b.append(" status=");
    if (status > 0) {
      b.append(status);
    }
    b.append(" bytes=");
    if (bytes >= 0) {
      b.append(bytes);
    }
    b.append(" protocol=").append(protocol);
    return b.toString();
  }

  public LogLine toLogLine(Instant time) {
    return LogLine.heroku(time, "router", message());
  }
}
