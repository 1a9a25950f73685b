package io.manifold.core.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LogCapturingExtension.class)
class LogChannelTest {
  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static LogLine app(String process, String message) {
    return LogLine.app(Instant.now(), process, message);
  }

  private static List<LogLine> fetch(ActorRef<LogChannel.Command> channel, LogFilter filter, int lines) {
    TestProbe<LogChannel.Lines> reply = kit.createTestProbe();
    channel.tell(new LogChannel.Fetch(filter, lines, reply.getRef()));
    return reply.receiveMessage().lines();
  }

  @Test
  void historyKeepsTheLastFifteenHundredLinesOldestFirst() {
    ActorRef<LogChannel.Command> channel = kit.spawn(LogChannel.create(LogSettings.HEROKU));
    for (int i = 1; i <= 1_600; i++) {
      channel.tell(new LogChannel.Publish(app("web.1", "line " + i)));
    }
    List<LogLine> all = fetch(channel, LogFilter.ALL, 5_000);
    assertEquals(1_500, all.size());
    assertEquals("line 101", all.get(0).message());
    assertEquals("line 1600", all.get(1_499).message());
    List<LogLine> last = fetch(channel, LogFilter.ALL, 3);
    assertEquals(List.of("line 1598", "line 1599", "line 1600"), last.stream().map(LogLine::message).toList());
  }

  @Test
  void fetchFiltersBySourceAndDyno() {
    ActorRef<LogChannel.Command> channel = kit.spawn(LogChannel.create(LogSettings.HEROKU));
    channel.tell(new LogChannel.Publish(app("web.1", "a")));
    channel.tell(new LogChannel.Publish(app("worker.1", "b")));
    channel.tell(new LogChannel.Publish(LogLine.heroku(Instant.now(), "router", "c")));
    channel.tell(new LogChannel.Publish(app("web.2", "d")));
    assertEquals(List.of("a", "d"), fetch(channel, new LogFilter(null, "web"), 100).stream().map(LogLine::message).toList());
    assertEquals(List.of("c"), fetch(channel, new LogFilter("heroku", null), 100).stream().map(LogLine::message).toList());
    assertEquals(List.of("b"), fetch(channel, new LogFilter("app", "worker.1"), 100).stream().map(LogLine::message).toList());
  }

  @Test
  void linesPublishedTogetherAreStoredInTheirOrderEachSplitAsIfAlone() {
    ActorRef<LogChannel.Command> channel = kit.spawn(LogChannel.create(LogSettings.HEROKU));
    channel.tell(new LogChannel.Publish(app("web.1", "before")));
    channel.tell(new LogChannel.PublishAll(List.of(
        LogLine.heroku(Instant.now(), "router", "first"), app("web.1", "y".repeat(12_000)),
        LogLine.heroku(Instant.now(), "router", "last"))));
    assertEquals(List.of("before", "first", "y".repeat(10_000), "y".repeat(2_000), "last"),
        fetch(channel, LogFilter.ALL, 10).stream().map(LogLine::message).toList());
  }

  @Test
  void aLineLongerThanTenThousandBytesIsStoredAsSeveralLines() {
    ActorRef<LogChannel.Command> channel = kit.spawn(LogChannel.create(LogSettings.HEROKU));
    channel.tell(new LogChannel.Publish(app("web.1", "x".repeat(25_000))));
    List<LogLine> lines = fetch(channel, LogFilter.ALL, 10);
    assertEquals(List.of(10_000, 10_000, 5_000), lines.stream().map(l -> l.message().length()).toList());
  }

  @Test
  void aTailGetsTheBacklogThenLiveLinesThatMatchItsFilter() {
    ActorRef<LogChannel.Command> channel = kit.spawn(LogChannel.create(LogSettings.HEROKU));
    channel.tell(new LogChannel.Publish(app("web.1", "old 1")));
    channel.tell(new LogChannel.Publish(app("web.1", "old 2")));
    channel.tell(new LogChannel.Publish(app("worker.1", "not for this tail")));
    TestProbe<TailSession.Event> tail = kit.createTestProbe();
    channel.tell(new LogChannel.Tail(new LogFilter("app", "web"), 1, tail.getRef()));
    TailSession.Batch first = tail.expectMessageClass(TailSession.Batch.class);
    assertEquals(List.of("old 2"), first.lines().stream().map(LogLine::message).toList());
    first.ackTo().tell(TailSession.Ack.INSTANCE);
    channel.tell(new LogChannel.Publish(app("worker.1", "still not")));
    channel.tell(new LogChannel.Publish(app("web.2", "live")));
    TailSession.Batch second = tail.expectMessageClass(TailSession.Batch.class);
    assertEquals(List.of("live"), second.lines().stream().map(LogLine::message).toList());
  }

  @Test
  void aSlowTailLosesTheOldestLinesWithAnL11LineWhileAFastTailGetsEverything() {
    LogSettings small = new LogSettings(1_500, 10, 100, 100);
    ActorRef<LogChannel.Command> channel = kit.spawn(LogChannel.create(small));
    TestProbe<TailSession.Event> slow = kit.createTestProbe();
    TestProbe<TailSession.Event> fast = kit.createTestProbe();
    channel.tell(new LogChannel.Tail(LogFilter.ALL, 0, slow.getRef()));
    channel.tell(new LogChannel.Tail(LogFilter.ALL, 0, fast.getRef()));
    // lines come in groups of 5; the fast tail acknowledges every batch as it comes and so keeps up
    List<String> fastLines = new ArrayList<>();
    for (int group = 0; group < 10; group++) {
      for (int i = 1; i <= 5; i++) {
        channel.tell(new LogChannel.Publish(app("web.1", "line " + (group * 5 + i))));
      }
      while (fastLines.size() < (group + 1) * 5) {
        TailSession.Batch b = fast.expectMessageClass(TailSession.Batch.class);
        b.lines().forEach(l -> fastLines.add(l.message()));
        b.ackTo().tell(TailSession.Ack.INSTANCE);
      }
    }
    assertEquals(50, fastLines.size());
    assertEquals("line 1", fastLines.get(0));
    assertEquals("line 50", fastLines.get(49));

    // the slow tail got line 1 and never acknowledged: it now has room for 10 lines only
    TailSession.Batch firstSlow = slow.expectMessageClass(TailSession.Batch.class);
    assertEquals(List.of("line 1"), firstSlow.lines().stream().map(LogLine::message).toList());
    slow.expectNoMessage(Duration.ofMillis(100));
    firstSlow.ackTo().tell(TailSession.Ack.INSTANCE);
    TailSession.Batch caughtUp = slow.expectMessageClass(TailSession.Batch.class);
    LogLine notice = caughtUp.lines().get(0);
    assertEquals("heroku[logplex]", notice.tag());
    assertTrue(notice.message().startsWith("L11 (Tail buffer overflow) -> This tail session dropped 39 messages since "), notice.message());
    assertEquals("line 41", caughtUp.lines().get(1).message());
    assertEquals("line 50", caughtUp.lines().get(10).message());
  }

  @Test
  void tailsBeyondTheLimitAreRefusedAndAStoppedSubscriberFreesItsPlace() {
    ActorRef<LogChannel.Command> channel = kit.spawn(LogChannel.create(new LogSettings(1_500, 10, 1, 100)));
    TestProbe<TailSession.Event> first = kit.createTestProbe();
    TestProbe<TailSession.Event> second = kit.createTestProbe();
    channel.tell(new LogChannel.Tail(LogFilter.ALL, 0, first.getRef()));
    channel.tell(new LogChannel.Tail(LogFilter.ALL, 0, second.getRef()));
    TailSession.Refused refused = second.expectMessageClass(TailSession.Refused.class);
    assertTrue(refused.reason().contains("max-tails"), refused.reason());

    first.stop();
    TestProbe<TailSession.Event> third = kit.createTestProbe();
    // the channel learns of the stop asynchronously (the subscriber's death reaches its session,
    // whose end reaches the channel): ask again, 50 ms apart, until the place is free (bounded: 10 s)
    TailSession.Event answer = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
      channel.tell(new LogChannel.Tail(LogFilter.ALL, 0, third.getRef()));
      channel.tell(new LogChannel.Publish(app("web.1", "probe " + attempt)));
      answer = third.receiveMessage(Duration.ofSeconds(3));
      if (answer instanceof TailSession.Batch) {
        break;
      }
      io.manifold.testing.Processes.sleep(50);
    }
    assertTrue(answer instanceof TailSession.Batch, "a tail is accepted once the first subscriber stopped");
  }
}
