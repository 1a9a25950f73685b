package io.manifold.core.dyno;

import io.manifold.core.logs.LogLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns a process's output into log lines: split at {@code \n} (a trailing {@code \r} dropped),
 * and, as Logplex does, a line longer than 10,000 bytes cut into pieces of at most that size, so
 * a process that never prints a newline cannot make Manifold hold its output.
 */
final class LineSplitter {
  private final DynoRuntime.Output output;
  private final int maxBytes;
  private final ByteArrayOutputStream line;

  LineSplitter(DynoRuntime.Output output) {
    this(output, LogLine.MAX_MESSAGE_BYTES);
  }

  LineSplitter(DynoRuntime.Output output, int maxBytes) {
    this.output = output;
    this.maxBytes = maxBytes;
    this.line = new ByteArrayOutputStream(256);
  }

  /** Reads until end of stream; returns then. */
  void pump(InputStream in) throws IOException {
    byte[] buf = new byte[8192];
    for (int n; (n = in.read(buf)) != -1; ) {
      feed(buf, n);
    }
    finish();
  }

  void feed(byte[] buf, int n) {
    for (int i = 0; i < n; i++) {
      byte b = buf[i];
      if (b == '\n') {
        emit();
      } else {
        line.write(b);
        if (line.size() >= maxBytes) {
          emitChunk();
        }
      }
    }
  }

  void finish() {
    if (line.size() > 0) {
      emit();
    }
  }

  private void emit() {
    byte[] bytes = line.toByteArray();
    int len = bytes.length;
    if (len > 0 && bytes[len - 1] == '\r') {
      len--;
    }
    line.reset();
    output.line(new String(bytes, 0, len, StandardCharsets.UTF_8));
  }

  /** Emits the longest prefix that ends on a character boundary; keeps the rest. */
  private void emitChunk() {
    byte[] bytes = line.toByteArray();
    int cut = bytes.length;
    while (cut > 0 && (bytes[cut - 1] & 0xC0) == 0x80) {
      cut--; // inside a multi-byte character: find its lead byte
    }
    if (cut > 0 && (bytes[cut - 1] & 0xC0) == 0xC0) {
      cut--; // the lead byte itself starts a character that is not complete yet
    }
    if (cut == 0) {
      cut = bytes.length; // not UTF-8 at all: cut anywhere
    }
    line.reset();
    output.line(new String(bytes, 0, cut, StandardCharsets.UTF_8));
    line.write(bytes, cut, bytes.length - cut);
  }
}
