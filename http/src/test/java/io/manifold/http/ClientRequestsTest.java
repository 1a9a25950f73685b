package io.manifold.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.manifold.core.dyno.DynoState;
import io.manifold.testing.Processes;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client connection's requests ({@link ClientRequests}): pipelined requests are answered in
 * their order, and a client that says its request is its last still gets the answer (it is not
 * taken for a client that left, H27).
 */
@ExtendWith(LogCapturingExtension.class)
class ClientRequestsTest {
  static final ActorTestKit kit = ActorTestKit.create("client-requests", ConfigFactory.load());

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private final FrontHarness h = new FrontHarness(kit);

  @AfterEach
  void close() throws Exception {
    h.close();
  }

  /** A dyno that answers with the request's path, the first after 200 ms (so that the others queue behind it). */
  private int pathDyno() throws Exception {
    return h.backends.http(ex -> {
      String path = ex.getRequestURI().getPath();
      if (path.equals("/1")) {
        Processes.sleep(200);
      }
      Backends.reply(ex, 200, path);
    });
  }

  @Test
  void pipelinedRequestsAreAnsweredEachInItsOrder() throws Exception {
    h.front(s -> s);
    h.dyno("web.1", DynoState.UP, pathDyno());
    h.awaitUp(1);
    try (Socket s = h.connect()) {
      OutputStream out = s.getOutputStream();
      StringBuilder three = new StringBuilder();
      for (int i = 1; i <= 3; i++) {
        three.append("GET /").append(i).append(" HTTP/1.1\r\nHost: shop.localhost\r\n\r\n");
      }
      out.write(three.toString().getBytes(StandardCharsets.ISO_8859_1)); // all three at once
      out.flush();
      InputStream in = s.getInputStream();
      for (int i = 1; i <= 3; i++) {
        String head = Backends.readHead(in);
        assertTrue(head.startsWith("HTTP/1.1 200"), head);
        assertEquals("/" + i, new String(in.readNBytes(2), StandardCharsets.ISO_8859_1), "answer " + i + " in its place");
      }
    }
    for (int i = 0; i < 3; i++) {
      String line = h.line();
      assertTrue(line.startsWith("at=info ") && line.contains(" status=200 "), line);
    }
  }

  @Test
  void aClientsLastRequestStillGetsItsAnswerAndThenTheConnectionCloses() throws Exception {
    h.front(s -> s);
    h.dyno("web.1", DynoState.UP, pathDyno());
    h.awaitUp(1);
    for (String last : new String[] {"GET /1 HTTP/1.1\r\nHost: shop.localhost\r\nConnection: close\r\n\r\n",
        "GET /1 HTTP/1.0\r\nHost: shop.localhost\r\n\r\n"}) {
      try (Socket s = h.connect()) {
        s.getOutputStream().write(last.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        String answer = FrontHarness.readSome(s.getInputStream());
        assertTrue(answer.startsWith("HTTP/1.") && answer.contains(" 200 ") && answer.endsWith("/1"), answer);
        assertEquals(-1, s.getInputStream().read(), "the router closed the connection after the answer");
      }
      String line = h.line();
      assertTrue(line.startsWith("at=info ") && line.contains(" status=200 "), "not taken for a client that left: " + line);
    }
  }
}
