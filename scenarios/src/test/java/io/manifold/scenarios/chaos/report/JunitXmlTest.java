package io.manifold.scenarios.chaos.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.manifold.scenarios.chaos.ScenarioResult;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** junit.xml: parses, counts what CI counts, says why a case failed, and turns an abort or an error into a case of its own. */
class JunitXmlTest {

  private static Document parse(ScenarioResult r, Path dir) throws Exception {
    ScenarioReports.write(r, dir);
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(dir.resolve("junit.xml").toFile());
  }

  private static Element suite(Document d) {
    assertEquals("testsuites", d.getDocumentElement().getTagName());
    NodeList suites = d.getElementsByTagName("testsuite");
    assertEquals(1, suites.getLength(), "one suite");
    return (Element) suites.item(0);
  }

  private static Map<String, Element> cases(Document d) {
    Map<String, Element> cases = new HashMap<>();
    NodeList list = d.getElementsByTagName("testcase");
    for (int i = 0; i < list.getLength(); i++) {
      Element c = (Element) list.item(i);
      cases.put(c.getAttribute("name"), c);
    }
    return cases;
  }

  private static void assertCounts(Element e, int tests, int failures, int errors) {
    assertEquals(Integer.toString(tests), e.getAttribute("tests"), "tests");
    assertEquals(Integer.toString(failures), e.getAttribute("failures"), "failures");
    assertEquals(Integer.toString(errors), e.getAttribute("errors"), "errors");
    assertEquals("0", e.getAttribute("skipped"));
  }

  @Test
  void aCasePerExpectationAndAFailureWithMeasuredAgainstBound(@TempDir Path dir) throws Exception {
    ScenarioResult r = Runs.failed("node-loss-under-load");
    Document d = parse(r, dir);
    Element suite = suite(d);
    assertEquals("node-loss-under-load", suite.getAttribute("name"));
    assertCounts(suite, 4, 2, 0);
    assertCounts(d.getDocumentElement(), 4, 2, 0);
    assertEquals("72.500", suite.getAttribute("time"), "the run's wall time, in seconds with a point");
    assertEquals("2026-11-29T08:00:00", suite.getAttribute("timestamp"), "Ant's format: no zone (it is UTC)");
    Map<String, Element> cases = cases(d);
    assertEquals(4, cases.size());
    for (ScenarioResult.ExpectationResult e : r.expectations()) {
      Element c = cases.get(e.describe());
      assertEquals("node-loss-under-load", c.getAttribute("classname"));
      assertEquals(e.met() ? 0 : 1, c.getElementsByTagName("failure").getLength(), e.describe());
      assertTrue(c.getAttribute("time").matches("[0-9]+\\.[0-9]{3}"));
    }
    Element p99 = (Element) cases.get(r.expectations().get(1).describe()).getElementsByTagName("failure").item(0);
    assertEquals("measured 1.45s, expected below 1.00s", p99.getAttribute("message"));
    assertTrue(p99.getTextContent().contains("measured: 1.45s\nbound: below 1.00s\nwindow: after recovery"), p99.getTextContent());
    Element recovery = (Element) cases.get(r.expectations().get(2).describe()).getElementsByTagName("failure").item(0);
    assertEquals("measured -, expected below 15.00s: fault 1's formation was not whole again before the run ended",
        recovery.getAttribute("message"));
  }

  @Test
  void theSeedAndInputsDigestAreProperties(@TempDir Path dir) throws Exception {
    Document d = parse(Runs.passed("p"), dir);
    Map<String, String> props = new HashMap<>();
    NodeList list = d.getElementsByTagName("property");
    for (int i = 0; i < list.getLength(); i++) {
      Element p = (Element) list.item(i);
      props.put(p.getAttribute("name"), p.getAttribute("value"));
    }
    assertEquals("42", props.get("seed"));
    assertEquals("3f9a2c10-1b2c", props.get("inputs_digest"));
    assertCounts(suite(d), 4, 0, 0);
  }

  @Test
  void anAbortIsOneMoreFailedCase(@TempDir Path dir) throws Exception {
    Document d = parse(Runs.aborted("a"), dir);
    assertCounts(suite(d), 5, 3, 0);
    Element abort = (Element) cases(d).get(JunitXml.ABORT_CASE).getElementsByTagName("failure").item(0);
    assertEquals("aborted at 23.0 s: error-rate over the last 5s above 50%", abort.getAttribute("message"));
  }

  @Test
  void aRunThatCouldNotCompleteIsAnErroredCase(@TempDir Path dir) throws Exception {
    Document d = parse(Runs.error("a", "formations not up:\nshop 2/6 up \u0007<&>"), dir);
    assertCounts(suite(d), 5, 2, 1);
    Element error = (Element) cases(d).get(JunitXml.ERROR_CASE).getElementsByTagName("error").item(0);
    assertEquals("formations not up: shop 2/6 up \uFFFD<&>", error.getAttribute("message"), "one line; a control character XML forbids is replaced");
    assertEquals("formations not up:\nshop 2/6 up \uFFFD<&>", error.getTextContent());
  }

  @Test
  void aHostileNameStillParses(@TempDir Path dir) throws Exception {
    String name = "<script>\"x\" & 'y'</script>\u0000";
    Document d = parse(Runs.failed(name), dir);
    assertEquals("<script>\"x\" & 'y'</script>\uFFFD", suite(d).getAttribute("name"));
    assertEquals("<script>\"x\" & 'y'</script>\uFFFD", cases(d).values().iterator().next().getAttribute("classname"));
  }
}
