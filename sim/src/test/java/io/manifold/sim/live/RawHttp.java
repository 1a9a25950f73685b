package io.manifold.sim.live;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A plain-socket HTTP/1.1 client for the tests: one request per connection, and an answer that
 * tells a response from a connection closed without one (what the router calls H13), which
 * {@code java.net.http} would retry or hide.
 */
final class RawHttp implements AutoCloseable {
  /** A response, or {@code status == -1} for a connection closed without one. */
  record Answer(int status, Map<String, String> headers, String body) {
    static final Answer CLOSED = new Answer(-1, Map.of(), "");

    boolean closed() {
      return status == -1;
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final ExecutorService threads = Executors.newFixedThreadPool(16, r -> {
    Thread t = new Thread(r, "raw-http");
    t.setDaemon(true);
    return t;
  });

  /** GET / with the given service time header (null for none), on a thread of its own. */
  CompletableFuture<Answer> send(int port, String service) {
    String extra = service == null ? "" : "X-Manifold-Service: " + service + "\r\n";
    return sendRaw(port, "GET / HTTP/1.1\r\nHost: shop\r\n" + extra + "\r\n");
  }

  CompletableFuture<Answer> sendRaw(int port, String request) {
    return CompletableFuture.supplyAsync(() -> exchange(port, request), threads);
  }

  static Answer exchange(int port, String request) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout((int) Duration.ofMinutes(2).toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return read(socket.getInputStream());
    } catch (IOException e) {
      return Answer.CLOSED;
    }
  }

  /** Reads one response (by Content-Length); CLOSED if the connection ends before its head. */
  static Answer read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int last4 = 0;
    while (last4 != 0x0d0a0d0a) {
      int b = in.read();
      if (b < 0) {
        return Answer.CLOSED;
      }
      head.write(b);
      last4 = (last4 << 8) | b;
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  /** True if nothing listens on the port (connection refused). */
  static boolean refuses(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
