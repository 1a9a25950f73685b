package io.manifold.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;

/** A header line read again gives the header made the first time; any other line its own. */
class HeaderLinesTest {
  /** Reads {@code line} (name, colon, value, no CRLF) from the middle of a larger buffer. */
  private static RawHeader read(HeaderLines table, String line) {
    byte[] a = ("xx" + line + "\r\nyy").getBytes(StandardCharsets.ISO_8859_1);
    int from = 2;
    int colon = line.indexOf(':') + from;
    int value = colon + 1;
    while (a[value] == ' ') {
      value++;
    }
    return table.header(a, from, colon, value, from + line.length());
  }

  @Test
  void aLineReadAgainGivesTheSameHeaderAndItsNameAndValueAsSent() {
    HeaderLines table = new HeaderLines();
    RawHeader first = read(table, "User-Agent: curl/8.5.0");
    assertEquals("User-Agent", first.name());
    assertEquals("user-agent", first.lowercaseName());
    assertEquals("curl/8.5.0", first.value());
    assertSame(first, read(table, "User-Agent: curl/8.5.0"));
    RawHeader other = read(table, "User-Agent: curl/8.5.1");
    assertEquals("curl/8.5.1", other.value());
    assertEquals("USER-AGENT", read(table, "USER-AGENT: curl/8.5.0").name(), "the name's case is kept, as sent");
    assertEquals("", read(table, "X-Empty:").value());
    assertEquals("caf\u00e9", read(table, "X-Latin: caf\u00e9").value(), "one char per byte");
  }

  @Test
  void aLongLineIsMadeEachTimeAndManyLinesNeverMixUp() {
    HeaderLines table = new HeaderLines();
    String cookie = "Cookie: " + "a".repeat(HeaderLines.MAX_LINE);
    RawHeader once = read(table, cookie);
    RawHeader again = read(table, cookie);
    assertNotSame(once, again);
    assertEquals(once.value(), again.value());
    // ten times as many distinct lines as the table has slots: each still reads as itself,
    // whichever line had its slot before
    for (int i = 0; i < HeaderLines.SLOTS * 10; i++) {
      RawHeader h = read(table, "X-Request-Id: id-" + i);
      assertEquals("id-" + i, h.value());
      assertEquals("X-Request-Id", h.name());
      assertEquals("Accept: */*", "Accept: " + read(table, "Accept: */*").value());
    }
  }
}
