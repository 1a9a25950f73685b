package io.manifold.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/** Real backends on 127.0.0.1 for the router to talk to: JDK HTTP servers and raw sockets. */
final class Backends implements AutoCloseable {
  private final List<AutoCloseable> open = new ArrayList<>();

  /** An HTTP server on a free port; returns the port. */
  int http(HttpHandler handler) throws IOException {
    return httpOn(0, handler);
  }

  /** An HTTP server on {@code port} (0: a free one); returns the port. */
  int httpOn(int port, HttpHandler handler) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    server.setExecutor(Executors.newFixedThreadPool(8, r -> {
      Thread t = new Thread(r, "backend");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", handler);
    server.start();
    open.add(() -> server.stop(0));
    return server.getAddress().getPort();
  }

  /** A server that answers every request with {@code text}, and the request headers it saw. */
  int echo(String text) throws IOException {
    return http(ex -> {
      StringBuilder b = new StringBuilder(text).append('\n');
      ex.getRequestHeaders().forEach((k, v) -> b.append(k.toLowerCase()).append(": ").append(String.join(",", v)).append('\n'));
      byte[] body = ex.getRequestBody().readAllBytes();
      if (body.length > 0) {
        b.append("body: ").append(new String(body, StandardCharsets.UTF_8)).append('\n');
      }
      ex.getResponseHeaders().add("X-Backend", text);
      reply(ex, 200, b.toString());
    });
  }

  /**
   * Waits until {@code count} stops growing for 100 ms (at most 10 s): the writer is held up.
   * There is no event for "no more progress", so this looks at it ten times a second.
   */
  static long heldUp(AtomicLong count) throws InterruptedException {
    long before = -1;
    for (int i = 0; i < 100 && count.get() != before; i++) {
      before = count.get();
      Thread.sleep(100);
    }
    return count.get();
  }

  /** A raw TCP server; each accepted connection is handed to {@code connection} on its own thread. */
  int raw(Consumer<Socket> connection) throws IOException {
    ServerSocket server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          Thread handler = new Thread(() -> connection.accept(s), "raw-backend-connection");
          handler.setDaemon(true);
          handler.start();
        } catch (IOException closed) {
          return;
        }
      }
    }, "raw-backend");
    t.setDaemon(true);
    t.start();
    open.add(server);
    return server.getLocalPort();
  }

  /**
   * A raw dyno on keep-alive connections: it reads each request whole (its head, and a body of the
   * length or chunks the head gives, framing and all), writes {@code answer(request)} byte for byte,
   * and closes the connection after an answer that says {@code Connection: close} or whose body has
   * no framing (one that can have a body: not to HEAD, not 1xx, 204 or 304). Bounded: 1,000 requests
   * per connection. {@code opened} is told of each connection, {@code closed} when it is over (the
   * router closed it, with a FIN or a reset, or the dyno did after an answer).
   */
  int keepAlive(Function<String, String> answer, Runnable opened, Runnable closed) throws IOException {
    return raw(socket -> {
      opened.run();
      try (socket) {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        for (int n = 0; n < 1_000; n++) {
          String head = readHead(in);
          if (head.isEmpty()) {
            return; // the router closed its side
          }
          String request = head + body(head, in);
          String response = answer.apply(request);
          out.write(response.getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          if (endsConnection(request, response)) {
            return;
          }
        }
      } catch (IOException reset) {
        // the router hung up without a FIN
      } finally {
        closed.run();
      }
    });
  }

  int keepAlive(Function<String, String> answer) throws IOException {
    return keepAlive(answer, () -> { }, () -> { });
  }

  private static boolean endsConnection(String request, String response) {
    String lower = response.toLowerCase(Locale.ROOT);
    int end = lower.indexOf("\r\n\r\n");
    String head = end < 0 ? lower : lower.substring(0, end);
    if (head.contains("connection: close")) {
      return true;
    }
    boolean framed = head.contains("content-length") || head.contains("transfer-encoding");
    boolean bodyless = request.startsWith("HEAD ") || head.startsWith("http/1.1 1") || head.startsWith("http/1.1 204")
        || head.startsWith("http/1.1 304");
    return !framed && !bodyless;
  }

  /** A message's body as it came, chunk framing and all, as its head frames it. */
  static String body(String head, InputStream in) throws IOException {
    String lower = head.toLowerCase(Locale.ROOT);
    int at = lower.indexOf("content-length: ");
    if (at >= 0) {
      int n = Integer.parseInt(lower.substring(at + 16, lower.indexOf("\r\n", at)).trim());
      return new String(in.readNBytes(n), StandardCharsets.ISO_8859_1);
    }
    if (lower.contains("transfer-encoding: chunked")) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = line(in);
        all.writeBytes((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        int size = Integer.parseInt(sizeLine.trim(), 16);
        all.writeBytes(in.readNBytes(size + 2));
        if (size == 0) {
          return all.toString(StandardCharsets.ISO_8859_1);
        }
      }
    }
    return "";
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c; (c = in.read()) != -1 && c != '\n'; ) {
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  /** A port nothing listens on. */
  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Reads a request's head (up to the blank line); what was read. */
  static String readHead(Socket s) throws IOException {
    return readHead(s.getInputStream());
  }

  /** Reads a message's head (up to the blank line, or the end of the stream); what was read. */
  static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int state = 0;
    for (int b; (b = in.read()) != -1; ) {
      head.append((char) b);
      state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
      if (state == 4) {
        break;
      }
    }
    return head.toString();
  }

  static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() throws IOException {
    for (AutoCloseable c : open) {
      try {
        c.close();
      } catch (IOException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException(e);
      }
    }
  }
}
