package io.manifold.core.logs;

import io.manifold.core.CborSerializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * An app's Logplex channel. Every line the app's dynos, the router and the API write comes here
 * and gets the next sequence number; the channel keeps the last {@link LogSettings#history()}
 * lines and hands new ones to live tails and drains. Each tail is a {@link TailSession} and each
 * drain a {@link DrainSession}, with a bounded buffer of its own, so a slow reader loses lines (and
 * is told so, L11 for tails and L10 for drains) while the channel and every other reader go on at
 * full speed.
 */
public final class LogChannel extends AbstractBehavior<LogChannel.Command> {

  public sealed interface Command extends CborSerializable {}

  /** A line for the log. Lines over 10,000 bytes are split, as Logplex does. */
  public record Publish(LogLine line) implements Command {}

  /**
   * Several lines for the log, in order, as if each came in a {@link Publish} of its own: the
   * router sends its lines this way, a batch at a time, rather than one message per request.
   */
  public record PublishAll(List<LogLine> lines) implements Command {}

  /** The last {@code lines} lines that match, oldest first, as {@code heroku logs -n} asks. */
  public record Fetch(LogFilter filter, int lines, ActorRef<Lines> replyTo) implements Command {}

  /** A line with its place in the channel: sequence numbers only grow. */
  public record Entry(long seq, LogLine line) implements CborSerializable {}

  public record Lines(List<Entry> entries) implements CborSerializable {
    public List<LogLine> lines() {
      return entries.stream().map(Entry::line).toList();
    }
  }

  /**
   * A live tail: the last {@code lines} matching lines (only those after {@code afterSeq}, when a
   * reader reconnects), then every new one, sent to {@code subscriber} as
   * {@link TailSession.Batch}es. The tail ends when the subscriber stops.
   */
  public record Tail(LogFilter filter, int lines, long afterSeq, ActorRef<TailSession.Event> subscriber) implements Command {
    public Tail(LogFilter filter, int lines, ActorRef<TailSession.Event> subscriber) {
      this(filter, lines, -1, subscriber);
    }
  }

  /**
   * The drains to deliver to (the app keeps them, and says so after each change and after a
   * restart): new ones start, gone ones stop, the others go on.
   */
  public record SetDrains(List<Drain> drains) implements Command {}

  private sealed interface Internal extends Command, NoSerializationVerificationNeeded {}

  private record TailEnded(ActorRef<TailSession.Command> session) implements Internal {}

  private final String app;
  private final LogSettings settings;
  private final DrainTransport transport;
  private final LogCounters counters;
  private final ArrayDeque<Entry> history;
  private final Set<ActorRef<TailSession.Command>> tails = new HashSet<>();
  private final Map<String, ActorRef<DrainSession.Command>> drainSessions = new LinkedHashMap<>();
  private long seq;
  private long started;

  public static Behavior<Command> create(LogSettings settings) {
    return create("app", settings, DrainTransport.NONE);
  }

  public static Behavior<Command> create(String app, LogSettings settings, DrainTransport transport) {
    return create(app, settings, transport, LogCounters.NONE);
  }

  /** @param counters the node's metrics for this channel */
  public static Behavior<Command> create(String app, LogSettings settings, DrainTransport transport, LogCounters counters) {
    return Behaviors.setup(ctx -> new LogChannel(ctx, app, settings, transport, counters));
  }

  private LogChannel(ActorContext<Command> ctx, String app, LogSettings settings, DrainTransport transport, LogCounters counters) {
    super(ctx);
    this.app = app;
    this.settings = settings;
    this.transport = transport;
    this.counters = counters;
    this.history = new ArrayDeque<>(settings.history());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Publish.class, this::onPublish)
        .onMessage(PublishAll.class, this::onPublishAll)
        .onMessage(Fetch.class, this::onFetch)
        .onMessage(Tail.class, this::onTail)
        .onMessage(TailEnded.class, this::onTailEnded)
        .onMessage(SetDrains.class, this::onSetDrains)
        .build();
  }

  private Behavior<Command> onPublish(Publish publish) {
    append(publish.line());
    return this;
  }

  private Behavior<Command> onPublishAll(PublishAll publish) {
    publish.lines().forEach(this::append);
    return this;
  }

  private void append(LogLine line) {
    List<String> chunks = LogLine.chunks(line.message());
    counters.published(chunks.size());
    for (String chunk : chunks) {
      LogLine piece = chunks.size() == 1 ? line : new LogLine(line.time(), line.source(), line.process(), chunk);
      Entry entry = new Entry(++seq, piece);
      if (history.size() == settings.history()) {
        history.removeFirst();
      }
      history.addLast(entry);
      for (ActorRef<TailSession.Command> tail : tails) {
        tail.tell(new TailSession.Deliver(entry));
      }
      for (ActorRef<DrainSession.Command> drain : drainSessions.values()) {
        drain.tell(new DrainSession.Deliver(piece));
      }
    }
  }

  private Behavior<Command> onFetch(Fetch fetch) {
    fetch.replyTo().tell(new Lines(last(fetch.filter(), fetch.lines(), -1)));
    return this;
  }

  private Behavior<Command> onTail(Tail tail) {
    if (tails.size() >= settings.maxTails()) {
      tail.subscriber().tell(new TailSession.Refused(
          "this app already has " + settings.maxTails() + " live tails (manifold.logs.max-tails)"));
      return this;
    }
    ActorRef<TailSession.Command> session = getContext().spawn(
        TailSession.create(tail.filter(), last(tail.filter(), tail.lines(), tail.afterSeq()), tail.subscriber(), settings, counters),
        "tail-" + (++started));
    getContext().watchWith(session, new TailEnded(session));
    tails.add(session);
    return this;
  }

  private Behavior<Command> onTailEnded(TailEnded ended) {
    tails.remove(ended.session());
    return this;
  }

  private Behavior<Command> onSetDrains(SetDrains m) {
    Map<String, Drain> wanted = new LinkedHashMap<>();
    m.drains().forEach(d -> wanted.put(d.id(), d));
    for (String id : List.copyOf(drainSessions.keySet())) {
      if (!wanted.containsKey(id)) {
        getContext().stop(drainSessions.remove(id));
      }
    }
    wanted.forEach((id, drain) -> drainSessions.computeIfAbsent(id,
        x -> getContext().spawn(DrainSession.create(drain, app, transport, counters), "drain-" + (++started))));
    return this;
  }

  private List<Entry> last(LogFilter filter, int wanted, long afterSeq) {
    int n = Math.max(0, Math.min(wanted, settings.history()));
    ArrayDeque<Entry> picked = new ArrayDeque<>(n);
    for (Iterator<Entry> it = history.descendingIterator(); it.hasNext() && picked.size() < n; ) {
      Entry e = it.next();
      if (e.seq() <= afterSeq) {
        break;
      }
      if (filter.matches(e.line())) {
        picked.addFirst(e);
      }
    }
    return new ArrayList<>(picked);
  }
}
