package io.manifold.core.logs;

import io.manifold.core.CborSerializable;

/**
 * What a reader of the log wants, as {@code heroku logs --source app --dyno web.1} asks: a source
 * ({@code app} or {@code heroku}) and a process, either a whole name ({@code web.1},
 * {@code router}) or a process type ({@code web} matches {@code web.1} and {@code web.2}).
 * Null means any.
 */
public record LogFilter(String source, String process) implements CborSerializable {
  public static final LogFilter ALL = new LogFilter(null, null);

  public boolean matches(LogLine line) {
    if (source != null && !source.equals(line.source())) {
      return false;
    }
    if (process == null) {
      return true;
    }
    String p = line.process();
    return p.equals(process) || (p.startsWith(process) && p.length() > process.length() && p.charAt(process.length()) == '.');
  }
}
