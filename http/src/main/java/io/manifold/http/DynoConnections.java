package io.manifold.http;

import io.manifold.core.dyno.Endpoint;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.BufferOverflowException;
import org.apache.pekko.stream.Materializer;

/**
 * This router's keep-alive connections to one dyno, as Heroku's Router 2.0 keeps them. A
 * connection carries one request at a time and goes back to the idle ones once its response has
 * been read to the end; a connection that stays unused for {@code dyno-keep-alive} (90 s) is
 * closed by its socket's idle time-out. A request holds a connection only while it holds a slot on the
 * dyno (and gives the connection back before the slot), so there are never more connections than
 * the dyno's slots, {@code max-connections-per-dyno}; that bound is also checked here.
 *
 * <p>Each connection is a {@link DynoWire}: the router's own HTTP/1.1 for dynos, driven by the
 * selector of one of the router's threads ({@link RouterThreads}) without a stream of its own; a
 * request is written from the call that sends it, and its response comes out into the request's
 * future from the selector's call. A request takes an idle connection of its own thread first, so
 * that it stays on that thread. This is Pekko's host connection pool without the
 * pool's own stream in the middle, which cost every request two more actor hops (into the pool
 * and back out) for queueing and retries that the router does not want: its slots already bound
 * the requests per dyno, and it never resends a request a dyno may have seen.
 */
final class DynoConnections {
  /** What a dyno connection fails its request with when it closes before the response (H13). */
  static final class ClosedWithoutResponse extends IllegalStateException {
    ClosedWithoutResponse(Throwable cause) {
      super("the dyno's connection closed without a response", cause);
    }
  }

  private final InetSocketAddress address;
  private final RouterThreads threads;
  /** What a new connection on each router thread needs. */
  private final DynoWire.Setting[] wires;
  /** An idle connection is used again only this soon after its last request, well before its idle time-out closes it. */
  private final long reuseWithinNanos;
  private final int max;
  /** Idle connections by router thread: a request takes one of its own thread's first. */
  private final ConcurrentLinkedDeque<Connection>[] idle;
  private final AtomicInteger open = new AtomicInteger();
  private volatile boolean closed;

  /**
   * What a dyno connection on each of the router's threads needs, the same for every dyno: made
   * once per router. From {@code s}: the connect time-out, the keep-alive (an unused connection
   * closes after it), Heroku's limits on a response's status line and header lines (H25).
   */
  static DynoWire.Setting[] wires(RouterSettings s, Materializer materializer, RouterThreads threads) {
    DynoWire.Setting[] wires = new DynoWire.Setting[threads.size()];
    Executor lookups = materializer.system().dispatchers().lookup("pekko.actor.default-blocking-io-dispatcher");
    for (int i = 0; i < wires.length; i++) {
      wires[i] = new DynoWire.Setting(threads.loop(i), s.connectTimeout(), s.dynoKeepAlive(), s.maxResponseStatusLine(),
          s.maxResponseHeader(), materializer, threads.dispatcher(i), lookups);
    }
    return wires;
  }

  /** @param wires {@link #wires}, one per router thread */
  @SuppressWarnings("unchecked")
  DynoConnections(Endpoint endpoint, RouterSettings s, RouterThreads threads, DynoWire.Setting[] wires) {
    this.address = InetSocketAddress.createUnresolved(endpoint.host(), endpoint.port());
    this.threads = threads;
    this.wires = wires;
    this.idle = new ConcurrentLinkedDeque[threads.size()];
    for (int i = 0; i < idle.length; i++) {
      idle[i] = new ConcurrentLinkedDeque<>();
    }
    long keepAliveNanos = s.dynoKeepAlive().toNanos();
    this.reuseWithinNanos = keepAliveNanos - Math.min(1_000_000_000L, keepAliveNanos / 4);
    this.max = s.maxConnectionsPerDyno();
  }

  /**
   * Sends {@code request} on an idle connection, or on a new one. The lease's
   * {@link Lease#response()} completes with the response head, or fails (connection refused or
   * timed out, closed without a response, a response Heroku's router refuses, or more connections than
   * {@code max}). The lease must end with {@link Lease#release()} once the response has been read
   * to its end, or with {@link Lease#abort()}.
   */
  Lease send(DynoRequest request) {
    // an idle connection may have been closed by the dyno a moment ago: the request was not
    // taken, so another connection may carry it; one about to reach its idle time-out is not
    // used, lest it close under the request (at most every idle connection once, and a few more)
    int here = threads.currentIndex();
    int thread = here >= 0 ? here : threads.nextIndex();
    Lease lease = reuse(idle[thread], request);
    if (lease != null) {
      return lease;
    }
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      // every connection is open: one of another thread's idle ones, at the cost of a hand-over
      for (int i = 1; i < idle.length; i++) {
        lease = reuse(idle[(thread + i) % idle.length], request);
        if (lease != null) {
          return lease;
        }
      }
      return new Lease(null, CompletableFuture.failedFuture(
          new BufferOverflowException("more than " + max + " connections to one dyno")));
    }
    Connection fresh = new Connection(thread);
    lease = fresh.offer(request);
    // a connection that failed before the request went in (refused at once) fails it with its cause
    return lease != null ? lease : new Lease(null, CompletableFuture.failedFuture(fresh.why()));
  }

  private Lease reuse(ConcurrentLinkedDeque<Connection> from, DynoRequest request) {
    long now = System.nanoTime();
    for (int tries = 0; tries < max + 4; tries++) {
      Connection c = from.pollFirst();
      if (c == null) {
        return null;
      }
      if (now - c.idleSince > reuseWithinNanos) {
        c.close();
        continue;
      }
      Lease lease = c.offer(request);
      if (lease != null) {
        return lease;
      }
    }
    return null;
  }

  /**
   * The dyno left the table: its idle connections close now, the busy ones when their response is
   * over. A request that raced with the dyno's leaving still gets a connection of its own.
   */
  void close() {
    closed = true;
    for (ConcurrentLinkedDeque<Connection> d : idle) {
      for (Connection c = d.pollFirst(); c != null; c = d.pollFirst()) {
        c.close();
      }
    }
  }

  /** One request's use of a pooled connection. */
  static final class Lease implements DynoLease {
    private final Connection connection;
    private final CompletableFuture<HttpResponse> response;
    private final AtomicBoolean over = new AtomicBoolean();

    private Lease(Connection connection, CompletableFuture<HttpResponse> response) {
      this.connection = connection;
      this.response = response;
    }

    @Override
    public CompletionStage<HttpResponse> response() {
      return response;
    }

    /** Its wire reads no body after such a head: the connection is free as soon as the head is here. */
    @Override
    public boolean headIsWhole() {
      return true;
    }

    /** The response has been read to its end: the connection may carry the next request. */
    @Override
    public void release() {
      if (over.compareAndSet(false, true) && connection != null) {
        connection.release();
      }
    }

    /**
     * The exchange broke off, or the router gives up on the dyno's answer: the connection closes
     * (its request, if still waiting, fails) and carries nothing more. Does nothing once the lease
     * is over, when the connection may already carry another request.
     */
    @Override
    public void abort() {
      if (over.compareAndSet(false, true) && connection != null) {
        connection.abort();
      }
    }
  }

  /** One keep-alive connection to the dyno. */
  private final class Connection implements DynoWire.Listener {
    private final DynoWire wire;
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Its wire said the connection closes after the response now on it: it is not used again. */
    private volatile boolean closing;
    /** Why it ended, once it has. */
    private volatile Throwable failure;
    /** {@link System#nanoTime()} when it last went idle. */
    private volatile long idleSince;
    /** The request on it now, or the last one. */
    private volatile Lease current;

    /** The router thread it runs on, whose idle connections it joins. */
    private final int thread;

    Connection(int thread) {
      this.thread = thread;
      this.wire = DynoWire.open(wires[thread], address, this);
    }

    /** The request's lease; null when the connection had ended, so that the request was not sent on it. */
    Lease offer(DynoRequest request) {
      Lease lease = new Lease(this, new CompletableFuture<>());
      current = lease;
      if (ended.get()) {
        return null;
      }
      wire.send(request);
      if (ended.get()) {
        // it ended as the request went in: whether the dyno saw it is unknown, so no other dyno
        // gets it (H13, unless the connection was never made); ended() may have failed it too
        lease.response.completeExceptionally(why());
      }
      return lease;
    }

    /** Why the connection ended (or will have: a connection that closes without a word did so). */
    Throwable why() {
      Throwable f = failure;
      return f != null ? f : new ClosedWithoutResponse(null);
    }

    void release() {
      if (ended.get() || closing || closed) {
        close();
      } else {
        idleSince = System.nanoTime();
        idle[thread].addFirst(this); // most recently used first, so that few connections stay warm
      }
    }

    void abort() {
      if (!ended.get()) {
        wire.fail(new ClosedWithoutResponse(null));
      }
    }

    void close() {
      if (!ended.get()) {
        wire.complete(); // a wire that ended already does nothing
      }
    }

    @Override
    public void closing() {
      closing = true;
    }

    @Override
    public void answered(HttpResponse response) {
      current.response.complete(response);
    }

    @Override
    public void ended(Throwable cause) {
      this.failure = cause;
      if (ended.compareAndSet(false, true)) {
        open.decrementAndGet();
        idle[thread].remove(this);
        Lease lease = current;
        if (lease != null) {
          lease.response.completeExceptionally(why());
        }
      }
    }
  }
}
