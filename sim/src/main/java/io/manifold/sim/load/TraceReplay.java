package io.manifold.sim.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Replays recorded arrivals: a CSV file with a header, a column {@code at_ms} (or
 * {@code arrival_ms}, as Manifold's own {@code trace.csv} writes it) of milliseconds since the
 * start, in order, and optionally {@code service_ms}, each request's service time (else the app's
 * distribution draws one). The replay starts at the run's start; arrivals past its end are not sent.
 */
public final class TraceReplay implements Workload, Runnable {
  /** Bound on a trace: longer files are refused rather than read. */
  public static final int MAX_ROWS = 20_000_000;

  private final long[] at;
  private final long[] service;
  private final String source;
  private LoadContext ctx;
  private int next;

  private TraceReplay(long[] at, long[] service, String source) {
    this.at = at;
    this.service = service;
    this.source = source;
  }

  public int size() {
    return at.length;
  }

  /** The {@code i}th request's offset from the start, in nanoseconds. */
  public long at(int i) {
    return at[i];
  }

  /** The {@code i}th request's service time in nanoseconds, or -1 where the trace gives none. */
  public long service(int i) {
    return service[i];
  }

  /** A new generator over the same trace, for another run (a generator keeps its place). */
  public TraceReplay fresh() {
    return new TraceReplay(at, service, source);
  }

  /**
   * Reads a trace.
   *
   * @throws IllegalArgumentException naming the file, the line and what was expected
   */
  public static TraceReplay read(Path file, String label) {
    long[] at = new long[1024];
    long[] service = new long[1024];
    int n = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = in.readLine();
      if (header == null) {
        throw new IllegalArgumentException(label + ":1: the trace is empty; expected a header with at_ms (and optionally service_ms)");
      }
      List<String> columns = Arrays.stream(header.split(",", -1)).map(String::strip).toList();
      int atCol = columns.indexOf("at_ms") >= 0 ? columns.indexOf("at_ms") : columns.indexOf("arrival_ms");
      int serviceCol = columns.indexOf("service_ms");
      if (atCol < 0) {
        throw new IllegalArgumentException(label + ":1: expected a column at_ms (or arrival_ms) in the header, found " + columns);
      }
      String line;
      int lineNo = 1;
      long previous = 0;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        if (n == MAX_ROWS) {
          throw new IllegalArgumentException(label + ":" + lineNo + ": more than " + MAX_ROWS + " requests");
        }
        String[] cells = line.split(",", -1);
        long t = millis(cells, atCol, label, lineNo, "at_ms");
        if (t < previous) {
          throw new IllegalArgumentException(label + ":" + lineNo + ": arrivals must be in order, but " + t / 1e6 + " ms comes after " + previous / 1e6 + " ms");
        }
        previous = t;
        if (n == at.length) {
          at = Arrays.copyOf(at, n * 2);
          service = Arrays.copyOf(service, n * 2);
        }
        at[n] = t;
        service[n] = serviceCol < 0 || serviceCol >= cells.length || cells[serviceCol].isBlank()
            ? -1 : millis(cells, serviceCol, label, lineNo, "service_ms");
        n++;
      }
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(label + ": no such file");
    } catch (IOException e) {
      throw new IllegalArgumentException(label + ": cannot read it: " + e.getMessage());
    }
    if (n == 0) {
      throw new IllegalArgumentException(label + ": the trace has no requests");
    }
    return new TraceReplay(Arrays.copyOf(at, n), Arrays.copyOf(service, n), label);
  }

  private static long millis(String[] cells, int col, String label, int lineNo, String name) {
    String cell = col < cells.length ? cells[col].strip() : "";
    try {
      double ms = Double.parseDouble(cell);
      if (!(ms >= 0) || !Double.isFinite(ms)) {
        throw new NumberFormatException();
      }
      return Math.round(ms * 1e6);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(label + ":" + lineNo + ": expected " + name + " as milliseconds >= 0, found '" + cell + "'");
    }
  }

  @Override
  public void start(LoadContext context) {
    this.ctx = context;
    this.next = 0;
    schedule();
  }

  @Override
  public void run() {
    int i = next++;
    ctx.sink().send(service[i] >= 0 ? ctx.requests().next(-1, service[i]) : ctx.requests().next(-1));
    schedule();
  }

  private void schedule() {
    if (next < at.length && ctx.from() + at[next] < ctx.until()) {
      ctx.clock().at(ctx.from() + at[next], this);
    }
  }

  @Override
  public String describe() {
    return "replay of " + source + " (" + at.length + " requests)";
  }
}
