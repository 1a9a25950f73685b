package io.manifold.cli;

import io.manifold.core.InputException;
import io.manifold.scenarios.study.CsvFiles;
import io.manifold.scenarios.study.Study;
import io.manifold.scenarios.study.StudyCells;
import io.manifold.scenarios.study.StudyParser;
import io.manifold.scenarios.study.StudyResult;
import io.manifold.scenarios.study.StudyRunner;
import io.manifold.scenarios.study.SummaryTable;
import io.manifold.sim.run.Cell;
import io.manifold.sim.run.CellResult;
import io.manifold.sim.run.Experiment;
import io.manifold.sim.run.RunResult;
import io.manifold.sim.run.SimSystem;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a routing study from a YAML file: every combination of its compare: values, each replicated,"
          + " then prints a table and writes results.csv, summary.csv, report.html (and trace.csv if asked) to --out.",
      "",
      "Examples: scenarios/library/studies/random-routing-debate.yaml, scenarios/library/studies/load-sweep-n10.yaml."
    })
final class SimRunCommand implements Callable<Integer>, InvalidInputExitsTwo {

  @Parameters(paramLabel = "FILE", description = "The study, in YAML.")
  Path file;

  @Option(names = {"-o", "--out"}, paramLabel = "DIR",
      description = "Where the results go (default: sim-results/<study name>).")
  Path out;

  @Option(names = "--seed", paramLabel = "N", description = "Overrides the study's seed.")
  Long seed;

  @Option(names = "--time", paramLabel = "KIND",
      description = "virtual (default: as fast as the machine goes) or real (the same runs at the wall clock's pace).")
  String time;

  @Option(names = {"-q", "--quiet"}, description = "No progress lines.")
  boolean quiet;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (!Files.isRegularFile(file)) {
      throw new InputException(file.toString(), "no such study file");
    }
    Study study = StudyParser.parse(file);
    if (seed != null) {
      study = study.withSeed(seed);
    }
    if (time != null) {
      study = study.withTime(switch (time) {
        case "virtual" -> SimSystem.Time.VIRTUAL;
        case "real" -> SimSystem.Time.REAL;
        default -> throw new InputException("--time", "expected virtual or real but found '" + time + "'");
      });
    }
    Path dir = out != null ? out : Path.of("sim-results", study.name());
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    List<Cell> cells = StudyCells.cells(study, file.toAbsolutePath().getParent());
    int runs = cells.size() * study.replications();
    if (!quiet) {
      err.printf(Locale.ROOT, "%s: %d cell(s) x %d replication(s), %s measured after %s of warm-up each, in %s time, seed %d%n",
          study.name(), cells.size(), study.replications(), io.manifold.sim.dist.Units.format(study.duration().toNanos()),
          io.manifold.sim.dist.Units.format(study.warmup().toNanos()), study.time().word(), study.seed());
      err.flush();
    }
    long started = System.nanoTime();
    int[] done = new int[1];
    StudyRunner.Written written = StudyRunner.runInto(study, file.toAbsolutePath().getParent(), dir, new Experiment.Progress() {
      @Override
      public void runFinished(Cell cell, int replication, RunResult r) {
        done[0]++;
        if (!quiet) {
          err.printf(Locale.ROOT, "  [%d/%d] cell %d %s, replication %d: %,d requests, mean %.1f ms, %.1f s%n",
              done[0], runs, cell.index() + 1, cell.label(), replication + 1, r.metrics().requests(),
              r.metrics().response().mean() / 1e6, r.wallNanos() / 1e9);
          err.flush();
        }
      }

      @Override
      public void cellFinished(CellResult c) {}
    });
    StudyResult result = written.result();
    java.io.ByteArrayOutputStream table = new java.io.ByteArrayOutputStream();
    SummaryTable.print(result, new java.io.PrintStream(table, true, java.nio.charset.StandardCharsets.UTF_8));
    stdout.print(table.toString(java.nio.charset.StandardCharsets.UTF_8));
    List<Path> files = written.files();
    if (result.unanswered() > 0) {
      stdout.println("WARNING: " + result.unanswered() + " requests were never answered (see report.html)");
    }
    long dropped = CsvFiles.traceDropped(result);
    if (dropped > 0) {
      stdout.println("trace.csv holds the first " + study.output().traceLimit() + " requests of each run; " + dropped + " more were not written");
    }
    stdout.printf(Locale.ROOT, "%d runs in %.1f s; written: %s%n", runs, (System.nanoTime() - started) / 1e9,
        String.join(", ", files.stream().map(Path::toString).toList()));
    stdout.flush();
    return 0;
  }
}
