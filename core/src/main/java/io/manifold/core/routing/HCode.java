package io.manifold.core.routing;

/**
 * Heroku's router error codes, with the {@code desc=}, the level and the status Heroku gives
 * (source: devcenter.heroku.com/articles/error-codes, see ../shared/HEROKU.md section 1.7).
 */
public enum HCode {
  H10("App crashed", "error", 503),
  H11("Backlog too deep", "error", 503),
  H12("Request timeout", "error", 503),
  H13("Connection closed without response", "error", 503),
  H14("No web processes running", "error", 503),
  H15("Idle connection", "error", 503),
  H17("Poorly formatted HTTP response", "error", 503),
  H18("Server Request Interrupted", "error", 503),
  H19("Backend connection timeout", "error", 503),
  H20("App boot timeout", "error", 503),
  H21("Backend connection refused", "error", 503),
  H22("Connection limit reached", "error", 503),
  H24("Forced close", "error", 0),
  H25("HTTP Restriction", "error", 502),
  H26("Request Error", "error", 400),
  H27("Client Request Interrupted", "warning", 499),
  H28("Client Connection Idle", "warning", 499),
  H80("Maintenance mode", "info", 503),
  H99("Platform error", "error", 503);

  private final String desc;
  private final String level;
  private final int status;

  HCode(String desc, String level, int status) {
    this.desc = desc;
    this.level = level;
    this.status = status;
  }

  public String desc() {
    return desc;
  }

  /** {@code at=} in the router's line: error, warning or info. */
  public String level() {
    return level;
  }

  /** The status the client gets; 0 where Heroku's line has an empty {@code status=}. */
  public int status() {
    return status;
  }
}
