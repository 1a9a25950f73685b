package io.manifold.scenarios.chaos.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/** Writing the report files: whole or not at all, and JSON numbers that are always JSON. */
final class ReportFiles {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper COMPACT = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private ReportFiles() {}

  /**
   * Writes {@code text} to {@code file} through a temporary file in the same directory and a
   * rename, so that a reader (the console polls these files) never sees half a file.
   */
  static void writeAtomically(Path file, String text) {
    Path tmp = null;
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      // not Files.createTempFile: its file is readable by its owner only, and a report is for whoever may read the directory
      tmp = file.resolveSibling("." + file.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the write failed already; that is what gets reported
        }
      }
    }
  }

  static String json(JsonNode node) {
    try {
      return JSON.writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of our own making did not serialize: " + e.getMessage(), e);
    }
  }

  /** On one line: live.json is rewritten every second and read by a program. */
  static String compactJson(JsonNode node) {
    try {
      return COMPACT.writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of our own making did not serialize: " + e.getMessage(), e);
    }
  }

  /** A measured number: NaN and the infinities ("nothing was measured") become null. */
  static void num(ObjectNode o, String field, double v) {
    if (Double.isFinite(v)) {
      o.put(field, v);
    } else {
      o.putNull(field);
    }
  }

  static void seconds(ObjectNode o, String field, Duration d) {
    if (d == null) {
      o.putNull(field);
    } else {
      o.put(field, d.toNanos() / 1e9);
    }
  }

  static void instant(ObjectNode o, String field, Instant t) {
    if (t == null) {
      o.putNull(field);
    } else {
      o.put(field, t.truncatedTo(ChronoUnit.MILLIS).toString());
    }
  }

  /** A map of counts, or of strings, with its keys sorted so that the file is the same run to run. */
  static ObjectNode counts(Map<String, ? extends Number> m) {
    ObjectNode o = JSON.createObjectNode();
    new TreeMap<>(m == null ? Map.<String, Number>of() : m).forEach((k, v) -> o.put(k, v.longValue()));
    return o;
  }

  static ObjectNode strings(Map<String, String> m) {
    ObjectNode o = JSON.createObjectNode();
    new TreeMap<>(m == null ? Map.<String, String>of() : m).forEach(o::put);
    return o;
  }
}
