package io.manifold.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.manifold.core.dyno.DynoState;
import java.io.IOException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Headers pass through the router as they were written, both ways, as a proxy passes them: Pekko's
 * model of a header would render it again in its own way (spaces, the order of a cookie's
 * attributes), so the router's parsers leave them raw; the dyno's Date and Server are the two the
 * renderer needs as models ({@link DynoHeaders}).
 */
@ExtendWith(LogCapturingExtension.class)
class RouterHeadersTest {
  static final ActorTestKit kit = ActorTestKit.create("router-headers", ConfigFactory.load());

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private final FrontHarness h = new FrontHarness(kit);

  @AfterEach
  void close() throws Exception {
    h.close();
  }

  /**
   * A dyno that answers every request of a connection with {@code headers} and "ok" (the router
   * keeps its connections alive); the first request head it reads goes to {@code seen}.
   */
  private int dyno(CompletableFuture<String> seen, String... headers) throws IOException {
    StringBuilder response = new StringBuilder("HTTP/1.1 200 OK\r\n");
    for (String header : headers) {
      response.append(header).append("\r\n"); // with no headers, no empty line that would end the head early
    }
    response.append("Content-Length: 2\r\n\r\nok");
    return h.backends.keepAlive(request -> {
      seen.complete(request);
      return response.toString();
    });
  }

  private static List<String> lines(String head, String lowercaseName) {
    return head.lines().filter(l -> l.toLowerCase().startsWith(lowercaseName + ":")).toList();
  }

  @Test
  void theDynosHeadersReachTheClientAsTheDynoWroteThem() throws Exception {
    h.front(s -> s);
    h.dyno("web.1", DynoState.UP, dyno(new CompletableFuture<>(),
        "Server: gunicorn/20.1.0 (Ubuntu)",
        "Date: Tue, 15 Nov 1994 08:12:31 GMT",
        "Cache-Control: max-age=60,   public",
        "Set-Cookie: id=a3fWa;Secure; Expires=Wed, 21 Oct 2015 07:28:00 GMT"));
    h.awaitUp(1);
    String answer = h.raw("GET / HTTP/1.1", "Host: shop.localhost");
    String head = answer.substring(0, answer.indexOf("\r\n\r\n"));
    assertTrue(answer.startsWith("HTTP/1.1 200 OK") && answer.endsWith("\r\n\r\nok"), answer);
    assertEquals(List.of("Server: gunicorn/20.1.0 (Ubuntu)"), lines(head, "server"), head);
    assertEquals(List.of("Date: Tue, 15 Nov 1994 08:12:31 GMT"), lines(head, "date"), "the dyno's Date, and only it: " + head);
    assertEquals(List.of("Cache-Control: max-age=60,   public"), lines(head, "cache-control"), head);
    assertEquals(List.of("Set-Cookie: id=a3fWa;Secure; Expires=Wed, 21 Oct 2015 07:28:00 GMT"), lines(head, "set-cookie"), head);
    assertEquals(List.of("Via: 1.1 vegur"), lines(head, "via"), head);
  }

  @Test
  void aDateTheDynoGotWrongGivesWayToTheRoutersOwn() throws Exception {
    h.front(s -> s);
    h.dyno("web.1", DynoState.UP, dyno(new CompletableFuture<>(), "Date: yesterday, around noon", "Server: ok/1"));
    h.awaitUp(1);
    for (int i = 0; i < 2; i++) { // the second time from what DynoHeaders learnt the first
      String answer = h.raw("GET / HTTP/1.1", "Host: shop.localhost");
      List<String> dates = lines(answer.substring(0, answer.indexOf("\r\n\r\n")), "date");
      assertEquals(1, dates.size(), answer);
      ZonedDateTime date = ZonedDateTime.parse(dates.get(0).substring(6), DateTimeFormatter.RFC_1123_DATE_TIME);
      assertTrue(Math.abs(date.toEpochSecond() - System.currentTimeMillis() / 1000) < 60, dates.get(0));
      assertEquals(List.of("Server: ok/1"), lines(answer, "server"), answer);
    }
  }

  @Test
  void theClientsHeadersReachTheDynoAsTheClientWroteThem() throws Exception {
    h.front(s -> s);
    CompletableFuture<String> seen = new CompletableFuture<>();
    h.dyno("web.1", DynoState.UP, dyno(seen));
    h.awaitUp(1);
    String answer = h.raw("GET / HTTP/1.1", "Host: shop.localhost",
        "Cookie: a=1;b=2",
        "Accept: text/html,  application/xhtml+xml;q=0.9",
        "User-Agent: curl/8.4.0  (x86_64-pc-linux-gnu)",
        "If-Modified-Since: Sat, 29 Oct 1994 19:43:31 GMT");
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    String head = seen.get(10, TimeUnit.SECONDS);
    assertEquals(List.of("Cookie: a=1;b=2"), lines(head, "cookie"), head);
    assertEquals(List.of("Accept: text/html,  application/xhtml+xml;q=0.9"), lines(head, "accept"), head);
    assertEquals(List.of("User-Agent: curl/8.4.0  (x86_64-pc-linux-gnu)"), lines(head, "user-agent"), head);
    assertEquals(List.of("If-Modified-Since: Sat, 29 Oct 1994 19:43:31 GMT"), lines(head, "if-modified-since"), head);
  }
}
