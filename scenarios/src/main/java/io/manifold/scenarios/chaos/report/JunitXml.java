package io.manifold.scenarios.chaos.report;

import static io.manifold.scenarios.chaos.report.Markup.attr;
import static io.manifold.scenarios.chaos.report.Markup.esc;

import io.manifold.scenarios.chaos.ScenarioResult;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * {@code junit.xml}: the run as a test suite for CI (Jenkins, GitLab, GitHub's JUnit reporters):
 * a {@code <testsuites>} root holding one {@code <testsuite>} named after the scenario, one
 * {@code <testcase>} per expectation (a {@code <failure>} when it was not met, with the measured
 * value against the bound), and, when the run aborted or could not complete, one more test case
 * that fails (abort) or errs (error) with the reason. Attributes follow the Ant/Surefire format
 * every such reader accepts: counts, {@code time} in seconds with a decimal point, a
 * {@code timestamp} without zone (UTC), {@code hostname}, and the seed and inputs digest as
 * properties.
 *
 * <p>The expectations are judged at the end, so their cases take no time of their own; the
 * suite's {@code time} is the run's.
 */
final class JunitXml {
  static final String ABORT_CASE = "the run was not aborted";
  static final String ERROR_CASE = "the run completed";
  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private JunitXml() {}

  static String render(ScenarioResult r) {
    String name = r.scenario().name();
    boolean error = ScenarioResult.ERROR.equals(r.outcome());
    boolean aborted = !error && r.abortedBy() != null;
    int tests = r.expectations().size() + (error || aborted ? 1 : 0);
    long failures = r.expectations().stream().filter(e -> !e.met()).count() + (aborted ? 1 : 0);
    int errors = error ? 1 : 0;
    String time = seconds(r.startedAt(), r.finishedAt());
    String counts = " tests=\"" + tests + "\" failures=\"" + failures + "\" errors=\"" + errors + "\" skipped=\"0\" time=\"" + time + "\"";
    StringBuilder b = new StringBuilder(8 * 1024);
    b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    b.append("<testsuites name=\"").append(attr(name)).append('"').append(counts).append(">\n");
    b.append("  <testsuite name=\"").append(attr(name)).append('"').append(counts)
        .append(" timestamp=\"").append(r.startedAt() == null ? "" : TIMESTAMP.format(r.startedAt())).append('"')
        .append(" hostname=\"localhost\" id=\"0\" package=\"manifold.scenarios\">\n");
    b.append("    <properties>\n");
    property(b, "seed", Long.toString(r.seed()));
    property(b, "inputs_digest", r.inputs());
    property(b, "scenario_file", r.scenario().file());
    property(b, "outcome", r.outcome());
    property(b, "version", r.version());
    b.append("    </properties>\n");
    Set<String> names = new HashSet<>();
    for (ScenarioResult.ExpectationResult e : r.expectations()) {
      // two identical expectations would be one test to a reader that keys on the name
      String caseName = names.add(e.describe()) ? e.describe() : e.describe() + " (#" + e.index() + ")";
      testcase(b, name, caseName, "0.000");
      if (e.met()) {
        b.append("/>\n");
        continue;
      }
      b.append(">\n      <failure type=\"expectation-not-met\" message=\"").append(attr(message(e))).append("\">")
          .append(esc("expectation " + e.index() + ": " + e.describe()
              + "\nmeasured: " + e.measuredText()
              + "\nbound: " + e.bound()
              + (e.window() == null || e.window().isEmpty() ? "" : "\nwindow: " + e.window())
              + (e.detail() == null || e.detail().isEmpty() ? "" : "\ndetail: " + e.detail())))
          .append("</failure>\n    </testcase>\n");
    }
    if (error) {
      testcase(b, name, ERROR_CASE, time);
      String why = r.problem() == null ? "the run could not complete" : r.problem();
      b.append(">\n      <error type=\"run-error\" message=\"").append(attr(ReportJson.oneLine(why, 500))).append("\">")
          .append(esc(why)).append("</error>\n    </testcase>\n");
    } else if (aborted) {
      testcase(b, name, ABORT_CASE, time);
      String why = "aborted" + (Double.isFinite(r.abortedAtSeconds()) ? String.format(Locale.ROOT, " at %.1f s", r.abortedAtSeconds()) : "")
          + ": " + r.abortedBy();
      b.append(">\n      <failure type=\"aborted\" message=\"").append(attr(ReportJson.oneLine(why, 500))).append("\">")
          .append(esc(why)).append("</failure>\n    </testcase>\n");
    }
    b.append("    <system-out>").append(esc(ReportJson.summary(r))).append("</system-out>\n");
    b.append("  </testsuite>\n</testsuites>\n");
    return b.toString();
  }

  /** "measured 3.10%, expected below 2%", and why when the number alone does not say. */
  static String message(ScenarioResult.ExpectationResult e) {
    String m = "measured " + e.measuredText() + ", expected " + e.bound();
    return e.detail() == null || e.detail().isEmpty() ? m : m + ": " + e.detail();
  }

  private static void testcase(StringBuilder b, String classname, String name, String time) {
    b.append("    <testcase classname=\"").append(attr(classname)).append("\" name=\"").append(attr(name))
        .append("\" time=\"").append(time).append('"');
  }

  private static void property(StringBuilder b, String name, String value) {
    b.append("      <property name=\"").append(attr(name)).append("\" value=\"").append(attr(value == null ? "" : value)).append("\"/>\n");
  }

  private static String seconds(Instant from, Instant to) {
    if (from == null || to == null || to.isBefore(from)) {
      return "0.000";
    }
    return String.format(Locale.ROOT, "%.3f", Duration.between(from, to).toMillis() / 1000.0);
  }
}
