package io.manifold.cli;

import static io.manifold.cli.PlatformClient.href;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.manifold.core.InputException;
import java.net.URI;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code logs}: a log session (the lines asked for, filtered as asked), then its stream, as the
 * heroku CLI does: {@code POST /apps/{app}/log-sessions}, then the events of its
 * {@code logplex_url}.
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
    description = {"Shows an app's recent log lines; with --tail, goes on showing them as they come, until Ctrl-C.",
        "Colours per dyno on a terminal; none with --no-color, NO_COLOR, HEROKU_LOGS_COLOR=0 or HEROKU_COLOR=0."})
final class LogsCommand extends PlatformCommand.ForApp {
  @Option(names = {"-n", "--num"}, paramLabel = "N", description = "How many recent lines (default: 100; Logplex keeps 1,500).")
  Integer num;

  @Option(names = {"-t", "--tail"}, description = "Go on showing lines as they come, until Ctrl-C.")
  boolean tail;

  @Option(names = {"-s", "--source"}, paramLabel = "SOURCE", description = "Only this source: app or heroku.")
  String source;

  @Option(names = {"-d", "--dyno-name", "--dyno"}, paramLabel = "DYNO", description = "Only this dyno (web.1), or this process type (web).")
  String dyno;

  @Option(names = {"-p", "--process-type", "--ps"}, paramLabel = "TYPE", description = "Only this process type, e.g. web.")
  String type;

  @Option(names = "--no-color", description = "No colours.")
  boolean noColor;

  private volatile LogStream stream;
  private volatile boolean stopped;

  @Override
  public Integer call() {
    if (dyno != null && type != null) {
      throw new InputException("--dyno/--process-type", "give one of a dyno (-d web.1) and a process type (-p web), not both");
    }
    ObjectNode session = PlatformClient.object().put("lines", num == null ? 100 : num).put("tail", tail);
    if (source != null) {
      session.put("source", source);
    }
    if (dyno != null || type != null) {
      session.put("dyno", dyno != null ? dyno : type); // as the heroku CLI sends both on Cedar
    }
    PlatformClient heroku = api.client();
    try (LogStream s = open(heroku, app(heroku), session)) {
      stream = s;
      if (!stopped) {
        s.read(LogColours.printer(out(), LogColours.wanted(noColor)));
      }
    }
    return 0;
  }

  /** Ends a {@code logs --tail} running on another thread, as Ctrl-C does. */
  void stop() {
    stopped = true;
    LogStream s = stream;
    if (s != null) {
      s.close();
    }
  }

  /** Creates a log session and returns its stream, not yet read. */
  static LogStream open(PlatformClient heroku, String app, ObjectNode session) {
    String url = heroku.post(href("apps", app, "log-sessions"), session).path("logplex_url").asText();
    return new LogStream(URI.create(url), session.path("tail").asBoolean());
  }
}
