package io.manifold.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The heroku CLI's ways of printing, which users and their scripts know. */
class StyledTest {
  private static String printed(Consumer<PrintWriter> print) {
    StringWriter s = new StringWriter();
    print.accept(new PrintWriter(s, true));
    return s.toString();
  }

  @Test
  void jsonIsWrittenAsJavaScriptsStringifyWritesIt() throws Exception {
    var value = PlatformClient.JSON.readTree("{\"a\":1,\"empty\":[],\"none\":{},\"list\":[{\"b\":null},\"x\"]}");
    assertEquals("""
        {
          "a": 1,
          "empty": [],
          "none": {},
          "list": [
            {
              "b": null
            },
            "x"
          ]
        }
        """, printed(out -> Styled.json(out, value)));
  }

  @Test
  void anObjectsValuesAreAlignedAndItsMissingValuesLeftOut() {
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put("GREETING", "hello");
    entries.put("A", "1");
    entries.put("MISSING", null);
    entries.put("EMPTY", "");
    assertEquals("GREETING: hello\nA:        1\nEMPTY:\n", printed(out -> Styled.object(out, entries)));
  }

  @Test
  void aTablesColumnsAreAsWideAsTheirWidestCell() {
    assertEquals("v10  Deploy        a@b\nv9   Set X config  a@b\n",
        printed(out -> Styled.table(out, List.of(List.of("v10", "Deploy", "a@b"), List.of("v9", "Set X config", "a@b")))));
  }

  @Test
  void aTimeSaysHowLongAgoItWasUpTo25Hours() {
    Instant now = Instant.parse("2026-11-29T08:03:15Z");
    assertTrue(Styled.ago(now.minusSeconds(5), now).endsWith(" (~ 5s ago)"));
    assertTrue(Styled.ago(now.minus(Duration.ofMinutes(5)), now).endsWith(" (~ 5m ago)"));
    assertTrue(Styled.ago(now.minus(Duration.ofHours(3)), now).endsWith(" (~ 3h ago)"));
    assertTrue(Styled.ago(now.minus(Duration.ofDays(3)), now).matches("\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}"));
  }
}
