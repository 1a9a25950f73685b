package io.manifold.core.logs;

import io.manifold.core.CborSerializable;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One live tail of a {@link LogChannel}. The subscriber pulls: it gets a {@link Batch} and sends
 * {@link Ack} when it wants the next one. Meanwhile new lines wait in a buffer of
 * {@link LogSettings#tailBuffer()} lines; when it is full the oldest are dropped and the next batch
 * starts with Heroku's L11 line, so the reader knows what it missed.
 */
public final class TailSession extends AbstractBehavior<TailSession.Command> {

  public sealed interface Command extends CborSerializable {}

  /** From the subscriber: ready for the next batch. */
  public enum Ack implements Command {
    INSTANCE
  }

  /** From the channel: a new line. */
  record Deliver(LogChannel.Entry entry) implements Command {}

  /** What a subscriber receives. */
  public sealed interface Event extends CborSerializable {}

  /**
   * Lines with their sequence numbers, oldest first; answer with {@link Ack} to {@code ackTo} for
   * more. An L11 line that reports lost lines has the number of the line before it.
   */
  public record Batch(List<LogChannel.Entry> entries, ActorRef<Command> ackTo) implements Event {
    public List<LogLine> lines() {
      return entries.stream().map(LogChannel.Entry::line).toList();
    }
  }

  /** The tail could not start, for the reason given. */
  public record Refused(String reason) implements Event {}

  private static final DateTimeFormatter SINCE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

  private final LogFilter filter;
  private final ActorRef<Event> subscriber;
  private final LogSettings settings;
  private final LogCounters counters;
  private final Clock clock = Clock.systemUTC();
  private final ArrayDeque<LogChannel.Entry> buffer;
  private boolean awaitingAck;
  private long dropped;
  private Instant droppedSince;

  static Behavior<Command> create(
      LogFilter filter, List<LogChannel.Entry> backlog, ActorRef<Event> subscriber, LogSettings settings, LogCounters counters) {
    return Behaviors.setup(ctx -> new TailSession(ctx, filter, backlog, subscriber, settings, counters));
  }

  private TailSession(
      ActorContext<Command> ctx,
      LogFilter filter,
      List<LogChannel.Entry> backlog,
      ActorRef<Event> subscriber,
      LogSettings settings,
      LogCounters counters) {
    super(ctx);
    this.filter = filter;
    this.subscriber = subscriber;
    this.settings = settings;
    this.counters = counters;
    this.buffer = new ArrayDeque<>(Math.min(settings.tailBuffer(), 1024));
    ctx.watch(subscriber);
    backlog.forEach(this::buffer);
    flush();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Deliver.class, this::onDeliver)
        .onMessageEquals(Ack.INSTANCE, this::onAck)
        .onSignal(Terminated.class, t -> Behaviors.stopped())
        .build();
  }

  private Behavior<Command> onDeliver(Deliver deliver) {
    if (filter.matches(deliver.entry().line())) {
      buffer(deliver.entry());
      if (!awaitingAck) {
        flush();
      }
    }
    return this;
  }

  private Behavior<Command> onAck() {
    awaitingAck = false;
    flush();
    return this;
  }

  private void buffer(LogChannel.Entry line) {
    if (buffer.size() >= settings.tailBuffer()) {
      buffer.removeFirst();
      counters.tailDropped(1);
      if (dropped++ == 0) {
        droppedSince = clock.instant();
      }
    }
    buffer.addLast(line);
  }

  private void flush() {
    if (buffer.isEmpty() && dropped == 0) {
      return;
    }
    List<LogChannel.Entry> batch = new ArrayList<>(Math.min(buffer.size(), settings.batch()) + 1);
    if (dropped > 0) {
      long before = buffer.isEmpty() ? 0 : buffer.peekFirst().seq() - 1;
      batch.add(new LogChannel.Entry(before, LogLine.heroku(clock.instant(), "logplex",
          "L11 (Tail buffer overflow) -> This tail session dropped " + dropped + " messages since "
              + SINCE.format(droppedSince) + ".")));
      dropped = 0;
    }
    while (!buffer.isEmpty() && batch.size() < settings.batch()) {
      batch.add(buffer.removeFirst());
    }
    subscriber.tell(new Batch(batch, getContext().getSelf()));
    awaitingAck = true;
  }
}
