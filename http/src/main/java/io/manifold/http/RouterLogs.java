package io.manifold.http;

import io.manifold.core.logs.LogChannel;
import io.manifold.core.logs.LogLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.ExecutionContextExecutor;

/**
 * The router's lines on their way to each app's log channel, a batch at a time. A request's line
 * joins its app's batch (a queue add and a flag read); the batch goes out as one
 * {@link LogChannel.PublishAll} a moment later ({@link #DELAY}, in practice the scheduler's next
 * tick, about 10 ms), with every line that came meanwhile, in order. A line per message cost
 * every request a message to the channel, and in a cluster three (the shard region, the shard,
 * the channel), each one a thread to wake on a busy router; a batch costs that once per tick.
 * Heroku's Logplex delivers lines asynchronously too, seconds late at times; the lines keep the
 * time at which the router wrote them.
 *
 * <p>Bounds: a batch is sent as messages of at most {@link #MAX_BATCH} lines and
 * {@link #MAX_BATCH_CHARS} characters of messages, well under Artery's frame (256 KiB), since a
 * channel may live on another node and a message over the frame is dropped whole. An app holds at
 * most {@link #MAX_WAITING} lines waiting for their batch (the rate of requests times the delay,
 * unless the scheduler stalls); past that a line is dropped, counted and reported in the node's
 * log at most every ten seconds, as Logplex drops what it cannot deliver. A batch is kept per app
 * while the app is in the routing table ({@code live}): the batch of an app that is gone goes once
 * it has sent its lines, also when a request that was still in flight when the app went wrote a
 * line after {@link #forget}.
 */
final class RouterLogs {
  private static final Logger LOG = LoggerFactory.getLogger(RouterLogs.class);
  static final Duration DELAY = Duration.ofMillis(1);
  static final int MAX_BATCH = 1_000;
  static final int MAX_BATCH_CHARS = 64 * 1024;
  static final int MAX_WAITING = 50_000;

  private final Scheduler scheduler;
  private final ExecutionContextExecutor executor;
  private final Map<String, Batch> apps = new ConcurrentHashMap<>();
  private final Predicate<String> live;

  /** @param live whether an app is still in the routing table (its batch is kept while it is) */
  RouterLogs(Scheduler scheduler, ExecutionContextExecutor executor, Predicate<String> live) {
    this.scheduler = scheduler;
    this.executor = executor;
    this.live = live;
  }

  /** How many apps have a batch now (for the tests of the bound). */
  int batches() {
    return apps.size();
  }

  /** Sends {@code line} to {@code app}'s channel {@code to}, with the next batch. */
  void publish(String app, RecipientRef<LogChannel.Command> to, LogLine line) {
    Batch b = apps.get(app);
    if (b == null) {
      b = apps.computeIfAbsent(app, Batch::new);
    }
    b.add(to, line);
  }

  /** The app is gone: its batch goes out as it is, and is not kept. */
  void forget(String app) {
    Batch b = apps.remove(app);
    if (b != null && b.due.compareAndSet(false, true)) {
      b.run(); // otherwise the flush that is due sends them
    }
  }

  private final class Batch implements Runnable {
    private final String app;
    private final ConcurrentLinkedQueue<LogLine> lines = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private volatile long droppedReportedAt = System.nanoTime() - 20_000_000_000L;
    /** A flush is due (or running): lines added now go with it, or it schedules the next. */
    private final AtomicBoolean due = new AtomicBoolean();
    /** The channel, as the latest line named it (an app's channel can move between snapshots). */
    private volatile RecipientRef<LogChannel.Command> to;

    Batch(String app) {
      this.app = app;
    }

    void add(RecipientRef<LogChannel.Command> channel, LogLine line) {
      if (to != channel) {
        to = channel;
      }
      if (waiting.incrementAndGet() > MAX_WAITING) {
        waiting.decrementAndGet();
        dropped.incrementAndGet();
        return;
      }
      lines.add(line);
      if (!due.get() && due.compareAndSet(false, true)) {
        try {
          scheduler.scheduleOnce(DELAY, this, executor);
        } catch (IllegalStateException stopping) {
          run(); // the scheduler has stopped with the system: the lines go now, not never
        }
      }
    }

    /** Sends what has come; one runner at a time, since only the one that set {@code due} runs. */
    @Override
    public void run() {
      while (true) {
        List<LogLine> batch = new ArrayList<>();
        int chars = 0;
        for (LogLine l = lines.poll(); l != null; l = lines.poll()) {
          waiting.decrementAndGet();
          if (!batch.isEmpty() && (batch.size() == MAX_BATCH || chars + l.message().length() > MAX_BATCH_CHARS)) {
            send(batch);
            batch = new ArrayList<>();
            chars = 0;
          }
          batch.add(l);
          chars += l.message().length();
        }
        send(batch);
        reportDropped();
        due.set(false);
        // a line added between the last poll and the reset found the flag set and left it to us
        if (lines.isEmpty() || !due.compareAndSet(false, true)) {
          if (!live.test(app)) {
            apps.remove(app, this); // a line that still comes makes a batch of its own, which goes too
          }
          return;
        }
      }
    }

    private void reportDropped() {
      long now = System.nanoTime();
      if (dropped.get() > 0 && now - droppedReportedAt > 10_000_000_000L) {
        droppedReportedAt = now;
        LOG.warn("{} router lines of app {} dropped: more than {} were waiting for their batch", dropped.getAndSet(0), app,
            MAX_WAITING);
      }
    }

    private void send(List<LogLine> batch) {
      if (batch.size() == 1) {
        to.tell(new LogChannel.Publish(batch.get(0)));
      } else if (!batch.isEmpty()) {
        to.tell(new LogChannel.PublishAll(batch));
      }
    }
  }
}
