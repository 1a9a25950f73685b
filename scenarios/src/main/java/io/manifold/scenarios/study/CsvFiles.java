package io.manifold.scenarios.study;

import io.manifold.sim.record.TraceRow;
import io.manifold.sim.run.CellResult;
import io.manifold.sim.run.RunResult;
import io.manifold.sim.stats.Estimate;
import io.manifold.sim.stats.Metric;
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
 * The study's CSV files. Their numbers come only from the simulation (no wall-clock times, no
 * dates), with fixed decimals, so that two runs of a study with one seed in virtual time write
 * byte-identical files.
 */
public final class CsvFiles {
  private CsvFiles() {}

  /** {@code results.csv}: one row per cell and replication. */
  public static void results(StudyResult result, Path file) {
    List<String> header = new ArrayList<>(List.of("cell"));
    header.addAll(columns(result.parameters()));
    header.addAll(List.of("replication", "seed", "requests", "errors", "unanswered"));
    for (Metric m : Metric.values()) {
      header.add(m.column());
    }
    write(file, out -> {
      out.write(String.join(",", header));
      out.write('\n');
      for (CellResult c : result.cells()) {
        for (int r = 0; r < c.runs().size(); r++) {
          RunResult run = c.runs().get(r);
          List<String> row = new ArrayList<>();
          row.add(Integer.toString(c.cell().index() + 1));
          result.parameters().forEach(p -> row.add(quote(c.cell().params().get(p))));
          row.add(Integer.toString(r + 1));
          row.add(Long.toString(run.seed()));
          row.add(Long.toString(run.metrics().requests()));
          row.add(Long.toString(run.metrics().errors()));
          row.add(Long.toString(run.unanswered()));
          for (Metric m : Metric.values()) {
            row.add(Numbers.csv(m.of(run.metrics()), decimals(m)));
          }
          out.write(String.join(",", row));
          out.write('\n');
        }
      }
    });
  }

  /** {@code summary.csv}: one row per cell, each metric's mean and the half-width of its 95% interval. */
  public static void summary(StudyResult result, Path file) {
    List<String> header = new ArrayList<>(List.of("cell"));
    header.addAll(columns(result.parameters()));
    header.addAll(List.of("replications", "requests", "unanswered"));
    for (Metric m : Metric.values()) {
      header.add(m.column());
      header.add(m.column() + "_ci95");
    }
    write(file, out -> {
      out.write(String.join(",", header));
      out.write('\n');
      for (CellResult c : result.cells()) {
        List<String> row = new ArrayList<>();
        row.add(Integer.toString(c.cell().index() + 1));
        result.parameters().forEach(p -> row.add(quote(c.cell().params().get(p))));
        row.add(Integer.toString(c.runs().size()));
        row.add(Long.toString(c.requests()));
        row.add(Long.toString(c.unanswered()));
        for (Metric m : Metric.values()) {
          Estimate e = c.get(m);
          row.add(Numbers.csv(e.mean(), decimals(m)));
          row.add(Numbers.csv(e.halfWidth(), decimals(m)));
        }
        out.write(String.join(",", row));
        out.write('\n');
      }
    });
  }

  /**
   * {@code trace.csv}: one row per request (the first of each run's window, up to the study's
   * limit), in order of arrival within each run. Times in ms, arrival from the end of the warm-up;
   * a run's rows can be replayed ({@code load: {arrivals: replay, file: ...}}).
   */
  public static void trace(StudyResult result, Path file) {
    List<String> header = new ArrayList<>(List.of("cell"));
    header.addAll(columns(result.parameters()));
    header.addAll(List.of("replication", "request", "arrival_ms", "router", "dyno", "queue_ms", "service_ms", "response_ms", "status", "code"));
    write(file, out -> {
      out.write(String.join(",", header));
      out.write('\n');
      for (CellResult c : result.cells()) {
        for (int r = 0; r < c.runs().size(); r++) {
          List<TraceRow> rows = new ArrayList<>(c.runs().get(r).metrics().trace());
          rows.sort(Comparator.comparingLong(TraceRow::id));
          StringBuilder prefix = new StringBuilder().append(c.cell().index() + 1);
          result.parameters().forEach(p -> prefix.append(',').append(quote(c.cell().params().get(p))));
          prefix.append(',').append(r + 1).append(',');
          for (TraceRow t : rows) {
            out.write(prefix + Long.toString(t.id()) + ',' + ms(t.arrival()) + ',' + (t.routerNode() + 1) + ','
                + (t.dyno() == null ? "" : t.dyno()) + ',' + ms(t.queue()) + ',' + (t.service() < 0 ? "" : ms(t.service())) + ','
                + ms(t.response()) + ',' + t.status() + ',' + (t.code() == null ? "" : t.code()));
            out.write('\n');
          }
        }
      }
    });
  }

  /** Rows the trace left out, over all runs. */
  public static long traceDropped(StudyResult result) {
    return result.cells().stream().flatMap(c -> c.runs().stream()).mapToLong(r -> r.metrics().traceDropped()).sum();
  }

  private static List<String> columns(List<String> parameters) {
    return parameters.stream().map(p -> p.replace('-', '_')).toList();
  }

  private static int decimals(Metric m) {
    return switch (m) {
      case QUEUED_SHARE, ERROR_SHARE -> 6;
      case THROUGHPUT -> 3;
      default -> 4;
    };
  }

  private static String ms(long nanos) {
    return Numbers.csv(nanos / 1e6, 3);
  }

  /** Distributions contain commas: quote them as RFC 4180 says. */
  static String quote(String v) {
    return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
  }

  private interface Body {
    void write(BufferedWriter out) throws IOException;
  }

  private static void write(Path file, Body body) {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      body.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
