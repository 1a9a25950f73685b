package io.manifold.scenarios.study;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a study's result files into one directory: results.csv, summary.csv and report.html
 * (trace.csv is written while the study runs: {@link StudyRunner#runInto}).
 */
public final class StudyOutputs {
  private StudyOutputs() {}

  /** @return the files written */
  public static List<Path> write(StudyResult result, Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
    }
    List<Path> files = new ArrayList<>();
    Path results = dir.resolve("results.csv");
    CsvFiles.results(result, results);
    files.add(results);
    Path summary = dir.resolve("summary.csv");
    CsvFiles.summary(result, summary);
    files.add(summary);
    Path report = dir.resolve("report.html");
    HtmlReport.write(result, report);
    files.add(report);
    return files;
  }
}
