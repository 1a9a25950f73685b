package io.manifold.scenarios.study;

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
import java.util.List;

/**
 * The study's CSV files of results ({@link TraceCsv} writes the trace). Their numbers come only from the simulation (no wall-clock times, no
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

  /** Rows the trace left out, over all runs. */
  public static long traceDropped(StudyResult result) {
    return result.cells().stream().flatMap(c -> c.runs().stream()).mapToLong(r -> r.metrics().traceDropped()).sum();
  }

  static List<String> columns(List<String> parameters) {
    return parameters.stream().map(p -> p.replace('-', '_')).toList();
  }

  private static int decimals(Metric m) {
    return switch (m) {
      case QUEUED_SHARE, ERROR_SHARE -> 6;
      case THROUGHPUT -> 3;
      default -> 4;
    };
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
