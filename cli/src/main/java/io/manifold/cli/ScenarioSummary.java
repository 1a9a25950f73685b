package io.manifold.cli;

import io.manifold.scenarios.chaos.ScenarioResult;
import io.manifold.scenarios.chaos.ScenarioText;
import java.io.PrintWriter;
import java.util.Locale;

/** The verdicts of a scenario run as a person reads them at the end of {@code manifold scenario run}. */
final class ScenarioSummary {
  private ScenarioSummary() {}

  static void print(ScenarioResult r, PrintWriter out) {
    out.println();
    String verdict = switch (r.outcome()) {
      case ScenarioResult.PASSED -> "PASSED";
      case ScenarioResult.FAILED -> "FAILED";
      default -> "ERROR";
    };
    long unmet = r.expectations().stream().filter(e -> !e.met()).count();
    out.printf(Locale.ROOT, "%s: %s (%d of %d expectations met)%n", r.scenario().name(), verdict,
        r.expectations().size() - unmet, r.expectations().size());
    if (r.problem() != null) {
      out.println("  the run could not complete: " + r.problem());
    }
    if (r.abortedBy() != null) {
      out.printf(Locale.ROOT, "  aborted at %.1fs: %s%n", r.abortedAtSeconds(), r.abortedBy());
    }
    for (ScenarioResult.ExpectationResult e : r.expectations()) {
      out.printf(Locale.ROOT, "  %-4s  %-60s measured %s%s%n", e.met() ? "ok" : "FAIL", e.describe(), e.measuredText(),
          e.detail().isEmpty() ? "" : " (" + e.detail() + ")");
    }
    if (!r.faults().isEmpty()) {
      out.println("Faults:");
      for (ScenarioResult.FaultResult f : r.faults()) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "  %d  %-40s", f.index(), f.describe()));
        if (!f.target().isEmpty()) {
          b.append(" on ").append(f.target());
        }
        if (!Double.isNaN(f.recoverySeconds())) {
          b.append(f.recoverySeconds() == 0 ? "; the formation stayed whole"
              : String.format(Locale.ROOT, "; whole again after %.1fs", f.recoverySeconds()));
        } else if (!Double.isNaN(f.firedSeconds())) {
          b.append("; the formation was not whole again before the end");
        }
        if (!Double.isNaN(f.detectionSeconds())) {
          b.append(String.format(Locale.ROOT, " (unreachable after %.1fs, removed %s, re-placed %s)", f.detectionSeconds(),
              seconds(f.removalSeconds()), seconds(f.replacementSeconds())));
        }
        if (!f.problem().isEmpty()) {
          b.append(" [").append(f.problem()).append(']');
        }
        out.println(b);
      }
    }
    ScenarioResult.Totals t = r.totals();
    out.printf(Locale.ROOT, "Requests: %,d  ok %,d  errors %,d (%s)  lost %,d  not sent %,d  p50 %s  p99 %s  max %s%n",
        t.requests(), t.ok(), t.errors(), ScenarioText.percent(t.errorRate()), t.lost(), t.notSent(),
        ms(t.p50Ms()), ms(t.p99Ms()), ms(t.maxMs()));
    if (!t.byCode().isEmpty()) {
      StringBuilder codes = new StringBuilder("By code:");
      t.byCode().forEach((code, n) -> codes.append(' ').append(code).append('=').append(n));
      out.println(codes);
    }
    out.printf(Locale.ROOT, "Seed %d, inputs %s%n", r.seed(), r.inputs().length() > 16 ? r.inputs().substring(0, 16) + "..." : r.inputs());
  }

  private static String seconds(double s) {
    return Double.isNaN(s) ? "-" : String.format(Locale.ROOT, "%.1fs", s);
  }

  private static String ms(double ms) {
    return ScenarioText.nanos(ms * 1e6);
  }
}
