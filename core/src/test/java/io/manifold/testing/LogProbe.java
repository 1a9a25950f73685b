package io.manifold.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.manifold.core.logs.LogChannel;
import io.manifold.core.logs.LogLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Stands in for an app's log channel in a test and remembers every line it was sent, so that a
 * test can wait for a line and then look at the order of everything before it.
 */
public final class LogProbe {
  private final TestProbe<LogChannel.Command> probe;
  private final List<LogLine> seen = new ArrayList<>();
  private int cursor;

  public LogProbe(ActorTestKit kit) {
    this.probe = kit.createTestProbe();
  }

  public ActorRef<LogChannel.Command> ref() {
    return probe.getRef();
  }

  /**
   * Waits (bounded) for the next line, after the one the previous call found, whose
   * {@code source[process]: message} matches; returns it. Successive calls so check an order.
   */
  public LogLine await(Predicate<String> matches, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      for (int i = cursor; i < seen.size(); i++) {
        if (matches.test(text(seen.get(i)))) {
          cursor = i + 1;
          return seen.get(i);
        }
      }
      if (!receiveBefore(deadline)) {
        fail("no matching log line within " + within + "; seen:\n" + dump());
      }
    }
  }

  /** Waits for the next line containing {@code fragment}. */
  public LogLine await(String fragment) {
    return await(s -> s.contains(fragment), Duration.ofSeconds(20));
  }

  /**
   * Waits (bounded) for a line containing {@code fragment} anywhere in what was seen, without
   * moving the order check: for lines that race with others, such as a dyno's own output.
   */
  public LogLine awaitAnywhere(String fragment) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      for (LogLine line : seen) {
        if (text(line).contains(fragment)) {
          return line;
        }
      }
      if (!receiveBefore(deadline)) {
        fail("no log line with '" + fragment + "'; seen:\n" + dump());
      }
    }
  }

  /** Collects what arrives for a while, without expecting anything. */
  public void collectFor(Duration d) {
    long deadline = System.nanoTime() + d.toNanos();
    while (receiveBefore(deadline)) {
      // keep collecting
    }
  }

  /** Takes the next message if one comes before the deadline; false if none did. */
  private boolean receiveBefore(long deadline) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      return false;
    }
    try {
      LogChannel.Command c = probe.receiveMessage(Duration.ofNanos(left));
      if (c instanceof LogChannel.Publish p) {
        seen.add(p.line());
      } else if (c instanceof LogChannel.PublishAll p) {
        seen.addAll(p.lines());
      }
      return true;
    } catch (AssertionError timeout) {
      return false;
    }
  }

  /** Every line seen so far, as {@code source[process]: message}. */
  public List<String> lines() {
    return seen.stream().map(LogProbe::text).toList();
  }

  /** Lines of one process (e.g. {@code heroku[web.1]}), in order. */
  public List<String> linesOf(String tag) {
    return seen.stream().filter(l -> l.tag().equals(tag)).map(LogLine::message).toList();
  }

  public String dump() {
    return String.join("\n", lines());
  }

  private static String text(LogLine line) {
    return line.tag() + ": " + line.message();
  }
}
