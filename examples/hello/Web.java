import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;

/**
 * The example app's web process: binds $PORT (on 127.0.0.1 here; on Heroku it would be 0.0.0.0)
 * and answers
 *   /              a greeting naming the dyno that served it
 *   /headers       the request headers it received (to see the router's X-Request-Id, Via, ...)
 *   /slow?ms=N     after N milliseconds (at most 120000): try it past the router's 30 s timeout
 *   /stream?n=N    N chunks, 200 ms apart
 *   /crash         never: the process exits with status 1 mid-request
 */
public class Web {
  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "5000"));
    String dyno = System.getenv().getOrDefault("DYNO", "web.?");
    String greeting = System.getenv().getOrDefault("GREETING", "Hello");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.createContext("/", ex -> reply(ex, 200, greeting + " from " + dyno + "\n"));
    server.createContext("/headers", ex -> {
      StringBuilder b = new StringBuilder();
      Map<String, String> sorted = new TreeMap<>();
      ex.getRequestHeaders().forEach((k, v) -> sorted.put(k, String.join(",", v)));
      sorted.forEach((k, v) -> b.append(k).append(": ").append(v).append('\n'));
      reply(ex, 200, b.toString());
    });
    server.createContext("/slow", ex -> {
      long ms = Math.min(120_000, Math.max(0, param(ex.getRequestURI(), "ms", 5_000)));
      System.out.println("slow request: answering in " + ms + " ms");
      sleep(ms);
      reply(ex, 200, "answered after " + ms + " ms by " + dyno + "\n");
    });
    server.createContext("/stream", ex -> {
      long n = Math.min(1_000, Math.max(1, param(ex.getRequestURI(), "n", 5)));
      ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        for (int i = 1; i <= n; i++) {
          out.write(("chunk " + i + " of " + n + "\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
          sleep(200);
        }
      }
    });
    server.createContext("/crash", ex -> {
      System.err.println("crashing on request, as asked");
      System.exit(1);
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println(dyno + " received SIGTERM, shutting down")));
    server.start();
    System.out.println(dyno + " listening on 127.0.0.1:" + port);
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static long param(URI uri, String name, long fallback) {
    String query = uri.getRawQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        String[] kv = pair.split("=", 2);
        if (kv.length == 2 && kv[0].equals(name)) {
          try {
            return Long.parseLong(kv[1]);
          } catch (NumberFormatException ignored) {
            return fallback;
          }
        }
      }
    }
    return fallback;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
