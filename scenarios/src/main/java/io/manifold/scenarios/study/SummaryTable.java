package io.manifold.scenarios.study;

import io.manifold.sim.run.CellResult;
import io.manifold.sim.stats.Estimate;
import io.manifold.sim.stats.Metric;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The terminal's table: one row per cell, response times in ms with the 95% interval of the mean
 * and of the p99 over the replications.
 */
public final class SummaryTable {
  private SummaryTable() {}

  public static void print(StudyResult result, PrintStream out) {
    List<String> header = new ArrayList<>(List.of("cell"));
    header.addAll(result.parameters());
    header.addAll(List.of("requests", "mean ms", "p50", "p90", "p99", "p99.9", "max", "queue ms", "queued", "thru/s", "errors"));
    List<List<String>> rows = new ArrayList<>();
    for (CellResult c : result.cells()) {
      List<String> row = new ArrayList<>();
      row.add(Integer.toString(c.cell().index() + 1));
      result.parameters().forEach(p -> row.add(c.cell().params().get(p)));
      row.add(Numbers.count(c.requests()));
      row.add(pm(c.get(Metric.RESPONSE_MEAN)));
      row.add(Numbers.ms(c.get(Metric.RESPONSE_P50).mean()));
      row.add(Numbers.ms(c.get(Metric.RESPONSE_P90).mean()));
      row.add(pm(c.get(Metric.RESPONSE_P99)));
      row.add(Numbers.ms(c.get(Metric.RESPONSE_P999).mean()));
      row.add(Numbers.ms(c.get(Metric.RESPONSE_MAX).mean()));
      row.add(Numbers.ms(c.get(Metric.QUEUE_MEAN).mean()));
      row.add(Numbers.percent(c.get(Metric.QUEUED_SHARE).mean()));
      row.add(Numbers.ms(c.get(Metric.THROUGHPUT).mean()));
      row.add(Numbers.percent(c.get(Metric.ERROR_SHARE).mean()));
      rows.add(row);
    }
    int[] width = new int[header.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = header.get(i).length();
      for (List<String> row : rows) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    int params = 1 + result.parameters().size();
    out.println(line(header, width, params));
    for (List<String> row : rows) {
      out.println(line(row, width, params));
    }
    out.println("mean and p99: mean over " + result.study().replications() + " replications ±95% interval (Student t);"
        + " other columns: means over the replications. Response and queue times in ms.");
  }

  private static String pm(Estimate e) {
    return Numbers.pm(e.mean(), e.halfWidth());
  }

  /** Text columns (the cell's parameters) to the left, numbers to the right. */
  private static String line(List<String> cells, int[] width, int leftAligned) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String v = cells.get(i);
      String pad = " ".repeat(width[i] - v.length());
      b.append(i == 0 ? "" : "  ").append(i < leftAligned ? v + pad : pad + v);
    }
    return b.toString().stripTrailing();
  }
}
