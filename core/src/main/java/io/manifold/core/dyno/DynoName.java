package io.manifold.core.dyno;

import io.manifold.core.CborSerializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A dyno's name as Heroku writes it: {@code web.1}, {@code worker.2}, {@code run.7311}. */
public record DynoName(String type, int index) implements CborSerializable, Comparable<DynoName> {
  private static final Pattern FORM = Pattern.compile("([A-Za-z0-9_-]{1,128})\\.([1-9][0-9]{0,8})");

  public DynoName {
    if (index < 1) {
      throw new IllegalArgumentException("dyno index starts at 1: " + index);
    }
  }

  /** Parses {@code web.1}; returns null when the text is not a dyno name. */
  public static DynoName parseOrNull(String text) {
    Matcher m = FORM.matcher(text);
    return m.matches() ? new DynoName(m.group(1), Integer.parseInt(m.group(2))) : null;
  }

  public boolean isWeb() {
    return "web".equals(type);
  }

  /** {@code run.N}: a one-off dyno, never restarted, gone once its command ends. */
  public boolean isOneOff() {
    return ONE_OFF.equals(type);
  }

  public static final String ONE_OFF = "run";

  @Override
  public int compareTo(DynoName o) {
    int byType = type.compareTo(o.type);
    return byType != 0 ? byType : Integer.compare(index, o.index);
  }

  @Override
  public String toString() {
    return type + "." + index;
  }
}
