import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * An open-loop HTTP/1.1 load generator: requests are due at a fixed rate, whatever the server
 * does, and each one's latency is measured from the time it was due (so coordinated omission is
 * corrected: a server that stalls is charged for every request it held up, as wrk2 does it).
 *
 * <p>A fixed set of keep-alive connections, one request in flight on each (no pipelining). A
 * request that falls due while every connection is busy waits for the first free one, its clock
 * already running. Two threads: a sender that sleeps until the next request is due, and a
 * receiver blocked in {@code select()}, so that a response is timed when it arrives, not when
 * the sender next wakes. Every bound is a flag: run time, warm-up, drain time after the run,
 * the queue of due requests (past it the run is declared overloaded and stops).
 *
 * <pre>
 * java -cp HdrHistogram.jar OpenLoop.java --url http://127.0.0.1:18080/ --host app.localhost \
 *      --rate 10000 --connections 32 --warmup 3 --duration 10
 * </pre>
 *
 * {@code --url} may list several servers, comma-separated: the connections are spread over them
 * in turn, as a proxy in front of them would spread its requests (the benchmark's {@code direct}
 * goes to the three dynos so, so that it loads each dyno as the proxies do).
 *
 * Prints one JSON line: counts, latency percentiles in microseconds (corrected: from the due
 * time; uncorrected: from the actual send), how late the sender was (what the generator itself
 * costs in latency), and the CPU it used in the measured window.
 */
public final class OpenLoop {
  private static final int MAX_RESPONSE = 64 * 1024;

  public static void main(String[] args) throws Exception {
    Args a;
    try {
      a = Args.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("OpenLoop: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      new OpenLoop(a).run();
    } catch (IOException e) {
      System.err.println("OpenLoop: " + e.getMessage());
      System.exit(1);
    }
  }

  record Args(List<URI> urls, String host, int rate, int connections, double warmup, double duration, double drain,
      int maxQueue) {
    static Args parse(String[] argv) {
      List<URI> urls = List.of();
      String host = null;
      int rate = 10_000;
      int connections = 32;
      double warmup = 3;
      double duration = 10;
      double drain = 5;
      int maxQueue = 100_000;
      for (int i = 0; i < argv.length; i += 2) {
        if (i + 1 >= argv.length) {
          throw new IllegalArgumentException(argv[i] + " needs a value");
        }
        String v = argv[i + 1];
        switch (argv[i]) {
          case "--url" -> urls = Arrays.stream(v.split(",")).map(Args::url).toList();
          case "--host" -> host = v;
          case "--rate" -> rate = Integer.parseInt(v);
          case "--connections" -> connections = Integer.parseInt(v);
          case "--warmup" -> warmup = Double.parseDouble(v);
          case "--duration" -> duration = Double.parseDouble(v);
          case "--drain" -> drain = Double.parseDouble(v);
          case "--max-queue" -> maxQueue = Integer.parseInt(v);
          default -> throw new IllegalArgumentException("unknown flag " + argv[i]);
        }
      }
      if (urls.isEmpty() || rate < 1 || connections < 1 || connections > 10_000 || duration <= 0 || duration > 3600) {
        throw new IllegalArgumentException("usage: --url URL[,URL...] [--host H] [--rate N] [--connections N (1-10000)]"
            + " [--warmup S] [--duration S (at most 3600)] [--drain S] [--max-queue N]");
      }
      if (connections < urls.size()) {
        throw new IllegalArgumentException("--connections " + connections + " is fewer than the " + urls.size()
            + " URLs of --url: some would get no load");
      }
      return new Args(urls, host, rate, connections, warmup, duration, drain, maxQueue);
    }

    private static URI url(String text) {
      URI u;
      try {
        u = URI.create(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--url " + text + ": " + e.getMessage());
      }
      if (!"http".equals(u.getScheme()) || u.getHost() == null || u.getPort() < 1) {
        throw new IllegalArgumentException("--url " + text + ": expected http://HOST:PORT/PATH");
      }
      return u;
    }
  }

  private final Args a;
  /** Per URL: the request, the same but for a Host header of the URL's own when none is given. */
  private final byte[][] requests;
  private final long period;
  private final Object lock = new Object();
  /** Due times of requests waiting for a free connection (under {@link #lock}). */
  private final ArrayDeque<Long> queue = new ArrayDeque<>();
  /** Connections with nothing in flight (under {@link #lock}). */
  private final ArrayDeque<Conn> idle = new ArrayDeque<>();
  /** Both written by the receiver only. */
  private final Histogram corrected = new Histogram(60_000_000_000L, 3);
  private final Histogram uncorrected = new Histogram(60_000_000_000L, 3);
  /** Written by the sender only. */
  private final Histogram lateness = new Histogram(60_000_000_000L, 3);
  private long windowStart;
  private long windowEnd;
  private volatile boolean overloaded;
  private volatile boolean stopping;
  // receiver-only counters
  private long completed;
  private long non2xx;
  private long broken;
  private long reconnects;

  private OpenLoop(Args a) {
    this.a = a;
    this.requests = new byte[a.urls.size()][];
    for (int i = 0; i < requests.length; i++) {
      URI url = a.urls.get(i);
      String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
      String host = a.host != null ? a.host : url.getHost() + ":" + url.getPort();
      requests[i] = ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: manifold-openloop\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);
    }
    this.period = 1_000_000_000L / a.rate;
  }

  /** One keep-alive connection, with at most one request in flight. */
  private final class Conn {
    final URI url;
    final byte[] request;
    SocketChannel ch;
    final ByteBuffer in = ByteBuffer.allocate(MAX_RESPONSE);
    long due = -1;
    long sent;

    Conn(int index) {
      this.url = a.urls.get(index % a.urls.size());
      this.request = requests[index % a.urls.size()];
    }

    void open(Selector selector) throws IOException {
      ch = SocketChannel.open();
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      try {
        ch.connect(new InetSocketAddress(url.getHost(), url.getPort()));
      } catch (IOException e) {
        ch.close();
        throw new IOException("cannot connect to " + url + ": " + e.getMessage(), e);
      }
      ch.configureBlocking(false);
      in.clear();
      ch.register(selector, SelectionKey.OP_READ, this);
    }

    /** Sends a request due at {@code dueNanos}; under {@link #lock}. */
    void send(long dueNanos) {
      due = dueNanos;
      sent = System.nanoTime();
      ByteBuffer b = ByteBuffer.wrap(request);
      try {
        for (int spins = 0; b.hasRemaining() && spins < 1000; spins++) {
          ch.write(b);
        }
      } catch (IOException e) {
        // the receiver sees the broken connection and counts it
      }
    }
  }

  private void run() throws Exception {
    Selector selector = Selector.open();
    Conn[] conns = new Conn[a.connections];
    for (int i = 0; i < conns.length; i++) {
      conns[i] = new Conn(i);
      conns[i].open(selector);
      idle.add(conns[i]);
    }
    long start = System.nanoTime() + 50_000_000L;
    windowStart = start + (long) (a.warmup * 1e9);
    windowEnd = windowStart + (long) (a.duration * 1e9);
    Thread receiver = new Thread(() -> receive(selector), "receiver");
    receiver.setDaemon(true);
    receiver.start();

    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = -1;
    long scheduled = 0;
    long due = start;
    while (due < windowEnd && !overloaded) {
      long now = System.nanoTime();
      if (due > now) {
        LockSupport.parkNanos(due - now);
        continue;
      }
      if (cpuStart < 0 && due >= windowStart) {
        cpuStart = os.getProcessCpuTime();
      }
      // every request due by now goes, each with its own due time
      for (; due <= now && due < windowEnd; due = start + (++scheduled) * period) {
        dispatch(due);
        if (due >= windowStart) {
          lateness.recordValue(Math.max(0, now - due));
        }
      }
    }
    // let what is in flight finish, bounded
    long drainUntil = System.nanoTime() + (long) (a.drain * 1e9);
    while (System.nanoTime() < drainUntil && !allIdle(conns)) {
      LockSupport.parkNanos(1_000_000L);
    }
    long cpuEnd = os.getProcessCpuTime();
    stopping = true;
    // the receiver records into the histograms: it stops before they are added to and read here
    selector.wakeup();
    receiver.join(2_000);
    long unfinished;
    synchronized (lock) {
      unfinished = queue.stream().filter(d -> d >= windowStart).count();
      long now = System.nanoTime();
      for (Conn c : conns) {
        if (c.due >= windowStart && c.due < windowEnd) {
          unfinished++;
          corrected.recordValue(now - c.due); // charged with the time it waited, as a time-out would be
        }
      }
      for (Long d : queue) {
        if (d >= windowStart) {
          corrected.recordValue(now - d);
        }
      }
    }
    double measured = (windowEnd - windowStart) / 1e9;
    System.out.println(String.format(Locale.ROOT,
        "{\"rate\":%d,\"connections\":%d,\"duration_s\":%.1f,\"due\":%d,\"completed\":%d,\"achieved_rps\":%.1f,"
            + "\"non2xx\":%d,\"broken\":%d,\"reconnects\":%d,\"unfinished\":%d,\"overloaded\":%b,"
            + "\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f,\"max_us\":%.1f,"
            + "\"u_p50_us\":%.1f,\"u_p99_us\":%.1f,\"u_p999_us\":%.1f,"
            + "\"late_p50_us\":%.1f,\"late_p99_us\":%.1f,\"gen_cpu_cores\":%.3f,\"hist\":%s}",
        a.rate, a.connections, measured, (long) (measured * a.rate), completed, completed / measured,
        non2xx, broken, reconnects, unfinished, overloaded,
        us(corrected, 50), us(corrected, 90), us(corrected, 99), us(corrected, 99.9), corrected.getMaxValue() / 1e3,
        us(uncorrected, 50), us(uncorrected, 99), us(uncorrected, 99.9),
        us(lateness, 50), us(lateness, 99),
        cpuStart < 0 ? 0 : (cpuEnd - cpuStart) / 1e9 / measured, buckets(corrected)));
    for (Conn c : conns) {
      c.ch.close();
    }
    System.exit(0);
  }

  /**
   * The histogram's non-empty buckets, [[highest value in ns, count], ...], so that the script can
   * pool the repetitions of a target into one histogram (every run uses the same buckets).
   */
  private static String buckets(Histogram h) {
    StringBuilder b = new StringBuilder("[");
    for (HistogramIterationValue v : h.recordedValues()) {
      b.append(b.length() > 1 ? "," : "").append('[').append(v.getValueIteratedTo()).append(',')
          .append(v.getCountAtValueIteratedTo()).append(']');
    }
    return b.append(']').toString();
  }

  private static double us(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1e3;
  }

  private boolean allIdle(Conn[] conns) {
    synchronized (lock) {
      return idle.size() == conns.length && queue.isEmpty();
    }
  }

  private void dispatch(long due) {
    synchronized (lock) {
      Conn c = idle.pollFirst();
      if (c != null) {
        c.send(due);
      } else if (queue.size() < a.maxQueue) {
        queue.addLast(due);
      } else {
        overloaded = true;
      }
    }
  }

  /** A response is complete on {@code c}: time it, and give the connection the next waiting request. */
  private void completed(Conn c, int status, long now) {
    long due = c.due;
    if (due >= windowStart && due < windowEnd) {
      completed++;
      corrected.recordValue(now - due);
      uncorrected.recordValue(now - c.sent);
      if (status < 200 || status > 299) {
        non2xx++;
      }
    }
    synchronized (lock) {
      c.due = -1;
      Long next = queue.pollFirst();
      if (next != null) {
        c.send(next);
      } else {
        idle.addLast(c);
      }
    }
  }

  private void receive(Selector selector) {
    try {
      while (!stopping) {
        selector.select();
        long now = System.nanoTime();
        for (SelectionKey key : selector.selectedKeys()) {
          Conn c = (Conn) key.attachment();
          int n;
          try {
            n = c.ch.read(c.in);
          } catch (IOException e) {
            n = -1;
          }
          if (n < 0) {
            key.cancel();
            reopen(c, selector);
            continue;
          }
          int status = parse(c.in);
          if (status == -2) {
            key.cancel();
            reopen(c, selector);
          } else if (status > 0) {
            completed(c, status, now);
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The server closed the connection or sent what this client cannot read: a broken request, a new connection. */
  private void reopen(Conn c, Selector selector) {
    try {
      c.ch.close();
      if (c.due >= windowStart && c.due < windowEnd) {
        broken++;
      }
      reconnects++;
      c.open(selector);
      completedBroken(c);
    } catch (IOException e) {
      overloaded = true; // nothing listens any more: stop
    }
  }

  private void completedBroken(Conn c) {
    synchronized (lock) {
      c.due = -1;
      Long next = queue.pollFirst();
      if (next != null) {
        c.send(next);
      } else {
        idle.addLast(c);
      }
    }
  }

  /**
   * The status of a complete response at the start of {@code in} (which is then consumed), 0 when
   * more bytes are needed, -2 when it is not a response this client reads (no
   * {@code Content-Length}, or larger than its buffer).
   */
  private static int parse(ByteBuffer in) {
    int end = in.position();
    byte[] b = in.array();
    int headEnd = -1;
    for (int i = 3; i < end; i++) {
      if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
        headEnd = i + 1;
        break;
      }
    }
    if (headEnd < 0) {
      return end == b.length ? -2 : 0;
    }
    if (end < 12 || b[0] != 'H') {
      return -2;
    }
    int status = (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
    long length = contentLength(b, headEnd);
    if (length < 0 || headEnd + length > b.length) {
      return -2;
    }
    if (end < headEnd + length) {
      return 0;
    }
    int rest = end - headEnd - (int) length;
    System.arraycopy(b, headEnd + (int) length, b, 0, rest);
    in.position(rest);
    return status == 0 ? -2 : status;
  }

  private static final byte[] CL = "\ncontent-length:".getBytes(StandardCharsets.US_ASCII);

  private static long contentLength(byte[] b, int headEnd) {
    outer:
    for (int i = 0; i + CL.length < headEnd; i++) {
      for (int j = 0; j < CL.length; j++) {
        byte c = b[i + j];
        if (c >= 'A' && c <= 'Z') {
          c = (byte) (c + 32);
        }
        if (c != CL[j]) {
          continue outer;
        }
      }
      long v = 0;
      for (int k = i + CL.length; k < headEnd && b[k] != '\r'; k++) {
        if (b[k] >= '0' && b[k] <= '9') {
          v = v * 10 + (b[k] - '0');
        }
      }
      return v;
    }
    return -1;
  }
}
