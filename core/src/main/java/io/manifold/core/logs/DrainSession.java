package io.manifold.core.logs;

import io.manifold.core.CborSerializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Delivers a channel's lines to one drain, as Logplex does: one frame in flight at a time, at most
 * {@value #BUFFER} lines waiting (beyond that the oldest are dropped, and the next frame starts
 * with Heroku's L10 line), a failed frame retried with the same {@code Logplex-Frame-Id} up to
 * {@value #ATTEMPTS} times and then dropped (and counted).
 */
final class DrainSession extends AbstractBehavior<DrainSession.Command> {
  /** Logplex keeps at most 1024 undelivered messages per drain. */
  static final int BUFFER = 1024;
  static final int FRAME = 100;
  static final int ATTEMPTS = 3;
  static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  sealed interface Command extends CborSerializable {}

  record Deliver(LogLine line) implements Command {}

  private sealed interface Internal extends Command, NoSerializationVerificationNeeded {}

  private record Sent(int status, Throwable failure) implements Internal {}

  private enum Retry implements Internal {
    INSTANCE
  }

  private static final DateTimeFormatter SINCE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

  private final Drain drain;
  private final String app;
  private final DrainTransport transport;
  private final LogCounters counters;
  private final TimerScheduler<Command> timers;
  private final Clock clock = Clock.systemUTC();
  private final ArrayDeque<LogLine> buffer = new ArrayDeque<>();
  private List<LogLine> inFlight;
  private String frameId;
  private int attempt;
  private long dropped;
  private Instant droppedSince;

  static Behavior<Command> create(Drain drain, String app, DrainTransport transport, LogCounters counters) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new DrainSession(ctx, drain, app, transport, counters, timers)));
  }

  private DrainSession(
      ActorContext<Command> ctx, Drain drain, String app, DrainTransport transport, LogCounters counters, TimerScheduler<Command> timers) {
    super(ctx);
    this.drain = drain;
    this.app = app;
    this.transport = transport;
    this.counters = counters;
    this.timers = timers;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Deliver.class, this::onDeliver)
        .onMessage(Sent.class, this::onSent)
        .onMessageEquals(Retry.INSTANCE, this::send)
        .build();
  }

  private Behavior<Command> onDeliver(Deliver d) {
    if (buffer.size() >= BUFFER) {
      buffer.removeFirst();
      drop(1);
    }
    buffer.addLast(d.line());
    if (inFlight == null) {
      nextFrame();
    }
    return this;
  }

  private void drop(long n) {
    counters.drainDropped(n);
    if (dropped == 0) {
      droppedSince = clock.instant();
    }
    dropped += n;
  }

  private void nextFrame() {
    if (buffer.isEmpty()) {
      return; // an L10 alone waits for the next line, so that a dead drain is not called in a loop
    }
    List<LogLine> frame = new ArrayList<>(FRAME + 1);
    if (dropped > 0) {
      frame.add(LogLine.heroku(clock.instant(), "logplex",
          "Error L10 (output buffer overflow): " + dropped + " messages dropped since " + SINCE.format(droppedSince) + "."));
      dropped = 0;
    }
    while (!buffer.isEmpty() && frame.size() < FRAME) {
      frame.add(buffer.removeFirst());
    }
    inFlight = frame;
    frameId = UUID.randomUUID().toString();
    attempt = 0;
    send();
  }

  private Behavior<Command> send() {
    attempt++;
    Map<String, String> headers = Map.of(
        "Content-Type", "application/logplex-1",
        "Logplex-Msg-Count", Integer.toString(inFlight.size()),
        "Logplex-Frame-Id", frameId,
        "Logplex-Drain-Token", drain.token(),
        "User-Agent", "Logplex/v72 (Manifold; app " + app + ")");
    getContext().pipeToSelf(transport.post(drain.url(), headers, LogplexFrame.body(inFlight)), Sent::new);
    return this;
  }

  private Behavior<Command> onSent(Sent s) {
    boolean ok = s.failure() == null && s.status() >= 200 && s.status() < 300;
    if (!ok && attempt < ATTEMPTS) {
      timers.startSingleTimer(Retry.INSTANCE, RETRY_AFTER);
      return this;
    }
    if (!ok) {
      drop(inFlight.size());
    }
    inFlight = null;
    nextFrame();
    return this;
  }
}
