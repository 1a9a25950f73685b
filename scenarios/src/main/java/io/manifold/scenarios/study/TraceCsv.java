package io.manifold.scenarios.study;

import io.manifold.sim.record.TraceRow;
import io.manifold.sim.run.Cell;
import io.manifold.sim.run.RunResult;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code trace.csv}, written run by run as the study goes (on the caller's thread, never the
 * simulation's), so that a study holds at most one run's trace in memory: one row per request of
 * the run's window, up to the study's limit, in order of arrival. Times in ms, arrival from the end
 * of the warm-up; a run's rows can be replayed ({@code load: {arrivals: replay, file: ...}}).
 */
public final class TraceCsv implements AutoCloseable {
  private final BufferedWriter out;
  private final List<String> parameters;

  public TraceCsv(Path file, List<String> parameters) {
    this.parameters = List.copyOf(parameters);
    try {
      this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
      List<String> header = new ArrayList<>(List.of("cell"));
      header.addAll(CsvFiles.columns(parameters));
      header.addAll(List.of("replication", "request", "arrival_ms", "router", "dyno", "queue_ms", "service_ms", "response_ms", "status", "code"));
      out.write(String.join(",", header));
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** The rows of one run (replication 0-based). */
  public void append(Cell cell, int replication, RunResult run) {
    List<TraceRow> rows = new ArrayList<>(run.metrics().trace());
    rows.sort(Comparator.comparingLong(TraceRow::id));
    StringBuilder prefix = new StringBuilder().append(cell.index() + 1);
    parameters.forEach(p -> prefix.append(',').append(CsvFiles.quote(cell.params().get(p))));
    prefix.append(',').append(replication + 1).append(',');
    try {
      for (TraceRow t : rows) {
        out.write(prefix + Long.toString(t.id()) + ',' + ms(t.arrival()) + ',' + (t.routerNode() + 1) + ','
            + (t.dyno() == null ? "" : t.dyno()) + ',' + ms(t.queue()) + ',' + (t.service() < 0 ? "" : ms(t.service())) + ','
            + ms(t.response()) + ',' + t.status() + ',' + (t.code() == null ? "" : t.code()));
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write trace.csv: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write trace.csv: " + e.getMessage(), e);
    }
  }

  private static String ms(long nanos) {
    return Numbers.csv(nanos / 1e6, 3);
  }
}
