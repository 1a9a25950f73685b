package io.manifold.cli;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Colours for Heroku-formatted log lines ({@code <time> <source>[<dyno>]: <message>}), as
 * {@code heroku local} and foreman colour them: the time dim, the {@code source[dyno]:} tag in a
 * colour of the dyno's own, the message as it is. Used by {@code manifold up} and
 * {@code manifold logs}, so that both colour an app the same way.
 */
final class LogColours {
  private static final String[] PALETTE = {"36", "33", "32", "35", "34", "96", "93", "92", "95", "94", "91"};
  private static final String RESET = "\u001b[0m";

  private final Map<String, String> colours = new HashMap<>();

  /** Colour only for a terminal, and not when asked for none: the flag, {@code NO_COLOR}, or the heroku CLI's switches. */
  static boolean wanted(boolean noColorFlag) {
    return !noColorFlag && System.console() != null && System.getenv("NO_COLOR") == null
        && !"0".equals(System.getenv("HEROKU_LOGS_COLOR")) && !"0".equals(System.getenv("HEROKU_COLOR"));
  }

  /** Prints each line, coloured or not, and flushes, so that a tail shows a line as it comes. */
  static Consumer<String> printer(PrintWriter out, boolean colour) {
    LogColours colours = new LogColours();
    return line -> {
      out.println(colour ? colours.colour(line) : line);
      out.flush();
    };
  }

  /** The line with its colours; a line not in Heroku's format is left as it is. */
  String colour(String line) {
    int timeEnd = line.indexOf(' ');
    int open = line.indexOf('[', timeEnd + 1);
    int close = open < 0 ? -1 : line.indexOf("]:", open);
    if (timeEnd < 0 || open < 0 || close < 0) {
      return line;
    }
    String source = line.substring(timeEnd + 1, open);
    String process = line.substring(open + 1, close);
    // a dyno (web.1) or the web type keeps a colour of its own; api, router and the dyno manager one per source
    String key = process.startsWith("web") || process.contains(".") ? process : source + process;
    String c = colours.computeIfAbsent(key, k -> PALETTE[colours.size() % PALETTE.length]);
    int tagEnd = close + 2;
    return "\u001b[2m" + line.substring(0, timeEnd) + RESET
        + "\u001b[" + c + "m" + line.substring(timeEnd, tagEnd) + RESET
        + line.substring(tagEnd);
  }
}
