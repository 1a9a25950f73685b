package io.manifold.core.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogLineTest {

  @Test
  void formatsAsHerokuLogsPrintsIt() {
    LogLine line = LogLine.app(Instant.parse("2026-11-29T10:00:01.123456789Z"), "web.1", "hello");
    assertEquals("2026-11-29T10:00:01.123456+00:00 app[web.1]: hello", line.format());
    assertEquals("heroku[router]", LogLine.heroku(Instant.EPOCH, "router", "x").tag());
  }

  @Test
  void longMessagesAreCutIntoChunksOfTenThousandBytesNeverInsideACharacter() {
    String message = "é".repeat(6_000); // 12,000 bytes of two-byte characters
    List<String> chunks = LogLine.chunks(message);
    assertEquals(2, chunks.size());
    assertEquals(10_000, chunks.get(0).getBytes(StandardCharsets.UTF_8).length);
    assertEquals(message, String.join("", chunks));
    assertEquals(List.of("short"), LogLine.chunks("short"));
  }

  @Test
  void filtersBySourceAndByProcessOrProcessType() {
    LogLine web1 = LogLine.app(Instant.EPOCH, "web.1", "a");
    LogLine web12 = LogLine.app(Instant.EPOCH, "web.12", "a");
    LogLine webby = LogLine.app(Instant.EPOCH, "webby.1", "a");
    LogLine router = LogLine.heroku(Instant.EPOCH, "router", "a");
    assertTrue(new LogFilter(null, "web").matches(web1));
    assertTrue(new LogFilter(null, "web").matches(web12));
    assertTrue(!new LogFilter(null, "web").matches(webby));
    assertTrue(!new LogFilter(null, "web.1").matches(web12));
    assertTrue(new LogFilter("heroku", "router").matches(router));
    assertTrue(!new LogFilter("app", null).matches(router));
    assertTrue(LogFilter.ALL.matches(router));
  }
}
