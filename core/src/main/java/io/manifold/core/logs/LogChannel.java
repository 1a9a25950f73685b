package io.manifold.core.logs;

import io.manifold.core.CborSerializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * An app's Logplex channel. Every line the app's dynos, the router and the API write comes here;
 * the channel keeps the last {@link LogSettings#history()} lines and hands new ones to live tails.
 * Each tail is a {@link TailSession} with a bounded buffer of its own, so a slow reader loses lines
 * (and is told so with L11) while the channel and every other reader go on at full speed.
 */
public final class LogChannel extends AbstractBehavior<LogChannel.Command> {

  public sealed interface Command extends CborSerializable {}

  /** A line for the log. Lines over 10,000 bytes are split, as Logplex does. */
  public record Publish(LogLine line) implements Command {}

  /** The last {@code lines} lines that match, oldest first, as {@code heroku logs -n} asks. */
  public record Fetch(LogFilter filter, int lines, ActorRef<Lines> replyTo) implements Command {}

  public record Lines(List<LogLine> lines) implements CborSerializable {}

  /**
   * A live tail: the last {@code lines} matching lines, then every new one, sent to
   * {@code subscriber} as {@link TailSession.Batch}es. The tail ends when the subscriber stops.
   */
  public record Tail(LogFilter filter, int lines, ActorRef<TailSession.Event> subscriber) implements Command {}

  private record TailEnded(ActorRef<TailSession.Command> session) implements Command {}

  private final LogSettings settings;
  private final ArrayDeque<LogLine> history;
  private final Set<ActorRef<TailSession.Command>> tails = new HashSet<>();
  private long tailsStarted;

  public static Behavior<Command> create(LogSettings settings) {
    return Behaviors.setup(ctx -> new LogChannel(ctx, settings));
  }

  private LogChannel(ActorContext<Command> ctx, LogSettings settings) {
    super(ctx);
    this.settings = settings;
    this.history = new ArrayDeque<>(settings.history());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Publish.class, this::onPublish)
        .onMessage(Fetch.class, this::onFetch)
        .onMessage(Tail.class, this::onTail)
        .onMessage(TailEnded.class, this::onTailEnded)
        .build();
  }

  private Behavior<Command> onPublish(Publish publish) {
    LogLine line = publish.line();
    List<String> chunks = LogLine.chunks(line.message());
    for (String chunk : chunks) {
      LogLine piece = chunks.size() == 1 ? line : new LogLine(line.time(), line.source(), line.process(), chunk);
      if (history.size() == settings.history()) {
        history.removeFirst();
      }
      history.addLast(piece);
      for (ActorRef<TailSession.Command> tail : tails) {
        tail.tell(new TailSession.Deliver(piece));
      }
    }
    return this;
  }

  private Behavior<Command> onFetch(Fetch fetch) {
    fetch.replyTo().tell(new Lines(last(fetch.filter(), fetch.lines())));
    return this;
  }

  private Behavior<Command> onTail(Tail tail) {
    if (tails.size() >= settings.maxTails()) {
      tail.subscriber().tell(new TailSession.Refused(
          "this app already has " + settings.maxTails() + " live tails (manifold.logs.max-tails)"));
      return this;
    }
    ActorRef<TailSession.Command> session = getContext().spawn(
        TailSession.create(tail.filter(), last(tail.filter(), tail.lines()), tail.subscriber(), settings),
        "tail-" + (++tailsStarted));
    getContext().watchWith(session, new TailEnded(session));
    tails.add(session);
    return this;
  }

  private Behavior<Command> onTailEnded(TailEnded ended) {
    tails.remove(ended.session());
    return this;
  }

  private List<LogLine> last(LogFilter filter, int wanted) {
    int n = Math.max(0, Math.min(wanted, settings.history()));
    ArrayDeque<LogLine> picked = new ArrayDeque<>(n);
    for (Iterator<LogLine> it = history.descendingIterator(); it.hasNext() && picked.size() < n; ) {
      LogLine line = it.next();
      if (filter.matches(line)) {
        picked.addFirst(line);
      }
    }
    return new ArrayList<>(picked);
  }
}
