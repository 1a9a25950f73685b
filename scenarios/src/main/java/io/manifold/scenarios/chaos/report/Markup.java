package io.manifold.scenarios.chaos.report;

/**
 * Text from a scenario file or an error message, made safe for HTML and XML alike. Everything a
 * scenario names (its name, apps, config values) is the user's text and may hold {@code <}, quotes
 * or control characters; XML 1.0 does not allow most control characters even escaped, and a
 * junit.xml that does not parse fails a CI job for the wrong reason.
 */
final class Markup {
  private Markup() {}

  /** Escaped for element content and for attribute values in double or single quotes. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            b.append(c).append(s.charAt(++i));
          } else if (allowed(c)) {
            b.append(c);
          } else {
            b.append('\uFFFD');
          }
        }
      }
    }
    return b.toString();
  }

  /** As {@link #esc}, and line breaks kept as character references (a parser turns a raw one into a space). */
  static String attr(String s) {
    return esc(s).replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#9;");
  }

  /** XML 1.0's Char production, for a single UTF-16 unit (surrogate pairs are handled by the caller). */
  private static boolean allowed(char c) {
    if (c == '\t' || c == '\n' || c == '\r') {
      return true;
    }
    if (c < 0x20 || c == 0xFFFE || c == 0xFFFF) {
      return false;
    }
    return !Character.isSurrogate(c);
  }
}
