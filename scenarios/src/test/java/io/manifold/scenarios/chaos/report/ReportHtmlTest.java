package io.manifold.scenarios.chaos.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.scenarios.chaos.ScenarioResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.html: the verdict, every expectation and fault, the faults on the charts, nothing fetched, everything escaped. */
class ReportHtmlTest {
  private static final String HOSTILE = "<script>alert('x')</script> & \"quotes\"";

  private static String page(ScenarioResult r, Path dir) throws Exception {
    ScenarioReports.write(r, dir);
    return Files.readString(dir.resolve("report.html"));
  }

  @Test
  void theBannerGivesTheVerdictAndWhy(@TempDir Path dir) throws Exception {
    assertTrue(page(Runs.failed("a"), dir).contains("<div class=\"verdict failed\" id=\"verdict\"><strong>Failed</strong>2 of 4 expectations not met"));
    assertTrue(page(Runs.passed("a"), dir).contains("<strong>Passed</strong>all 4 expectations met"));
    assertTrue(page(Runs.aborted("a"), dir).contains("<strong>Failed</strong>aborted at 23.0 s: error-rate over the last 5s above 50%"));
    String error = page(Runs.error("a", "the apps' formations were not up within 120 s"), dir);
    assertTrue(error.contains("<div class=\"verdict error\" id=\"verdict\"><strong>Error</strong>the run could not complete: "
        + "the apps&#39; formations were not up within 120 s"), error);
  }

  @Test
  void everyExpectationHasARowWithItsVerdictMeasuredValueBoundAndDetail(@TempDir Path dir) throws Exception {
    ScenarioResult r = Runs.failed("a");
    String html = page(r, dir);
    String table = between(html, "<table id=\"expectations\">", "</table>");
    assertEquals(1 + r.expectations().size(), count(table, "<tr>"));
    for (ScenarioResult.ExpectationResult e : r.expectations()) {
      assertTrue(table.contains(Markup.esc(e.describe())), e.describe());
      assertTrue(table.contains(Markup.esc(e.bound())), e.bound());
    }
    assertTrue(table.contains("<td class=\"notmet\">not met</td><td>p99-latency after recovery below 1.00s</td><td class=\"n\">1.45s</td>"), table);
    assertTrue(table.contains("fault 1&#39;s formation was not whole again before the run ended"));
    assertEquals(2, count(table, "<td class=\"met\">met</td>"));
  }

  @Test
  void eachFaultIsABandOnEveryChartAndAnInstantFaultALine(@TempDir Path dir) throws Exception {
    String html = page(Runs.failed("a"), dir);
    assertEquals(4, count(html, "<svg"), "latency, errors, throughput, dynos");
    for (String label : List.of("#1 kill-node", "#2 crash-dyno", "#3 partition")) {
      assertEquals(4, count(html, ">" + label + "</text>"), label + " labelled on each chart");
    }
    // the node loss from 20.01 s to 35.02 s and the partition from 45 s to 50 s are shaded; the crash is a dashed line
    assertEquals(4 * 2, count(html, "fill=\"#f0ad4e\""));
    assertEquals(4, count(html, "stroke=\"#c77c00\""));
    assertTrue(html.contains("<title>fault 1: kill node 2 at 20s for 15s (node-2), from 20.0 s to 35.0 s</title>"), "the band says what it is");
    String faults = between(html, "<table id=\"faults\">", "</table>");
    assertTrue(faults.contains("<th>detection</th><th>removal</th><th>re-placement</th>"), "a node fault's breakdown");
    assertTrue(faults.contains("<td class=\"n\">1.2 s</td><td class=\"n\">6.5 s</td><td class=\"n\">7.1 s</td><td>shop: web.2, web.5</td>"), faults);
    assertTrue(faults.contains("not whole again before the end"));
    assertTrue(faults.contains("at once"));
  }

  @Test
  void anAbortIsMarkedOnTheChartsToo(@TempDir Path dir) throws Exception {
    String html = page(Runs.aborted("a"), dir);
    assertEquals(4, count(html, ">abort</text>"));
  }

  @Test
  void latencyThatSpansTwentyTimesIsDrawnOnALogScale(@TempDir Path dir) throws Exception {
    String html = page(Runs.failed("a"), dir);
    assertTrue(html.contains("latency, ms (log scale)"), "p50 of 4 ms against a max of 2.9 s");
    assertTrue(ReportCharts.spansWidely(new double[] {5, 100}));
    assertFalse(ReportCharts.spansWidely(new double[] {5, 99, Double.NaN, 0}));
  }

  @Test
  void thePercentilesTotalsAndInputsAreThere(@TempDir Path dir) throws Exception {
    String html = page(Runs.failed("a"), dir);
    String latency = between(html, "<table id=\"latency\">", "</table>");
    assertTrue(latency.contains("<th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th>"));
    assertTrue(latency.contains("<td class=\"n\">5.0ms</td><td class=\"n\">19.5ms</td><td class=\"n\">1.45s</td><td class=\"n\">2.80s</td><td class=\"n\">2.90s</td>"), latency);
    String totals = between(html, "<table id=\"totals\">", "</table>");
    for (String row : List.of("requests</th><td>11,800", "errors</th><td>109 (0.9%)", "lost (sent, never answered)</th><td>0",
        "not sent (too many open)</th><td>0", "connection errors</th><td>0", "log lines published</th><td>12,345", "log lines dropped</th><td>7")) {
      assertTrue(totals.contains(row), row);
    }
    assertTrue(between(html, "<table id=\"codes\">", "</table>").contains("<td>H13</td><td class=\"n\">84</td>"));
    String inputs = between(html, "<table id=\"inputs\">", "</table>");
    assertTrue(inputs.contains("seed</th><td>42") && inputs.contains("inputs digest</th><td>3f9a2c10-1b2c") && inputs.contains("nodes</th><td>3"));
    assertTrue(html.contains("<code>./manifold scenario run scenarios/library/node-loss.yaml --seed 42</code>"));
    assertTrue(between(html, "<table id=\"apps\">", "</table>").contains("<td>web=6</td><td>time constant(40ms), concurrency 1, boot 2s</td>"));
    assertTrue(between(html, "<table id=\"load\">", "</table>").contains("poisson: 200/s for 1m"));
  }

  @Test
  void thePageFetchesNothingAndRunsNoScript(@TempDir Path dir) throws Exception {
    for (ScenarioResult r : List.of(Runs.failed("a"), Runs.aborted("a"), Runs.error("a", "boom"), Runs.passed("a"))) {
      String html = page(r, dir);
      Matcher m = Pattern.compile("\\b(?:src|href|xlink:href|action)\\s*=\\s*[\"']?\\s*([^\"'\\s>]*)", Pattern.CASE_INSENSITIVE).matcher(html);
      List<String> links = new ArrayList<>();
      while (m.find()) {
        links.add(m.group(1));
      }
      assertTrue(links.stream().noneMatch(l -> l.toLowerCase().matches("^(https?:)?//.*")), "fetches " + links);
      assertFalse(html.toLowerCase().contains("<script"), "no script");
      assertFalse(html.toLowerCase().contains("<link"), "no stylesheet or font from elsewhere");
      assertFalse(html.contains("@import") || html.contains("url("), "no CSS fetch");
      assertFalse(html.contains("NaN"), "nothing measured reads as a dash, not NaN");
    }
  }

  @Test
  void aHostileScenarioNameIsText(@TempDir Path dir) throws Exception {
    String html = page(Runs.failed(HOSTILE), dir);
    assertFalse(html.contains("<script>"), "the name is escaped everywhere");
    assertTrue(html.contains("<h1>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;</h1>"));
    assertTrue(html.contains("<title>&lt;script&gt;"));
    assertFalse(html.contains("<b>hi</b>"), "config values are the user's text too");
    assertTrue(html.contains("GREETING=&lt;b&gt;hi&lt;/b&gt;"));
  }

  static String between(String s, String from, String to) {
    int i = s.indexOf(from);
    assertTrue(i >= 0, "no " + from);
    return s.substring(i, s.indexOf(to, i) + to.length());
  }

  static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) {
      n++;
    }
    return n;
  }
}
