package io.manifold.core.dyno;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

  private static List<String> split(String text, int max) throws Exception {
    List<String> out = new ArrayList<>();
    new LineSplitter(out::add, max).pump(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    return out;
  }

  @Test
  void splitsAtNewlinesAndDropsCarriageReturns() throws Exception {
    assertEquals(List.of("one", "two", "", "three"), split("one\r\ntwo\n\nthree", 100));
  }

  @Test
  void aLineLongerThanTheLimitBecomesSeveralLines() throws Exception {
    assertEquals(List.of("abcd", "efgh", "ij"), split("abcdefghij\n", 4));
  }

  @Test
  void aCutNeverFallsInsideAMultiByteCharacter() throws Exception {
    // "aé" is 3 bytes; with a limit of 2 the é must not be split
    List<String> lines = split("aéb\n", 2);
    assertEquals("aéb", String.join("", lines));
    lines.forEach(l -> assertEquals(-1, l.indexOf('\uFFFD'), "no broken character in " + lines));
  }
}
