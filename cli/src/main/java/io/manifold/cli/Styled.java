package io.manifold.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The heroku CLI's ways of printing (its {@code hux} helpers): {@code === } headers, aligned
 * {@code Key: value} lists, tables without headers, times with how long ago, {@code ⬢ app}, and
 * JSON as {@code JSON.stringify(value, null, 2)} writes it.
 */
final class Styled {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss Z");

  private Styled() {}

  static String app(String name) {
    return "⬢ " + name;
  }

  /** {@code === text} and a blank line. */
  static void header(PrintWriter out, String text) {
    out.println("=== " + text);
    out.println();
  }

  /** {@code Key: value} lines, the values aligned; null values are left out. */
  static void object(PrintWriter out, Map<String, String> entries) {
    int width = entries.entrySet().stream().filter(e -> e.getValue() != null).mapToInt(e -> e.getKey().length()).max().orElse(0);
    entries.forEach((key, value) -> {
      if (value != null) {
        out.println((key + ":" + " ".repeat(width - key.length() + 1) + value).stripTrailing());
      }
    });
  }

  /** Rows of columns, each column as wide as its widest cell, two spaces apart. */
  static void table(PrintWriter out, List<List<String>> rows) {
    List<Integer> widths = new ArrayList<>();
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        int w = row.get(i).length();
        if (widths.size() <= i) {
          widths.add(w);
        } else if (widths.get(i) < w) {
          widths.set(i, w);
        }
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(row.get(i)).append(" ".repeat(widths.get(i) - row.get(i).length() + 2));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /** {@code 2026/11/29 08:03:15 +0000 (~ 5m ago)}, in this machine's time zone, as {@code heroku ps} shows times. */
  static String ago(Instant time, Instant now) {
    String when = TIME.format(time.atZone(ZoneId.systemDefault()));
    long s = Math.max(0, Duration.between(time, now).getSeconds());
    if (s < 60) {
      return when + " (~ " + s + "s ago)";
    }
    if (s < 60 * 60) {
      return when + " (~ " + s / 60 + "m ago)";
    }
    if (s < 25 * 60 * 60) {
      return when + " (~ " + s / 3600 + "h ago)";
    }
    return when;
  }

  static Instant instant(JsonNode time) {
    return time == null || time.isNull() ? Instant.EPOCH : Instant.parse(time.asText());
  }

  static void json(PrintWriter out, JsonNode value) {
    try {
      out.println(PlatformClient.JSON.writer(new Stringify()).writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always writes", e);
    }
  }

  /** Two-space indents, {@code "key": value}, and {@code []} / {@code {}} when empty, as JavaScript's. */
  private static final class Stringify extends DefaultPrettyPrinter {
    private static final DefaultIndenter INDENT = new DefaultIndenter("  ", "\n");

    Stringify() {
      super(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
      indentObjectsWith(INDENT);
      indentArraysWith(INDENT);
    }

    @Override
    public DefaultPrettyPrinter createInstance() {
      return new Stringify();
    }

    @Override
    public void writeEndObject(JsonGenerator g, int entries) throws IOException {
      if (entries > 0) {
        super.writeEndObject(g, entries);
        return;
      }
      --_nesting;
      g.writeRaw('}');
    }

    @Override
    public void writeEndArray(JsonGenerator g, int values) throws IOException {
      if (values > 0) {
        super.writeEndArray(g, values);
        return;
      }
      --_nesting;
      g.writeRaw(']');
    }
  }
}
