package io.manifold.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.manifold.core.logs.LogChannel;
import io.manifold.core.logs.LogLine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The router's lines reach the channel in batches that fit a cluster message, in order, and bounded. */
class RouterLogsTest {
  private final ActorTestKit kit = ActorTestKit.create(ManualTime.config().withFallback(ConfigFactory.load()));
  private final ManualTime time = ManualTime.get(kit.system());
  private final TestProbe<LogChannel.Command> channel = kit.createTestProbe();
  /** The apps in the routing table, as the router's logs see it. */
  private final java.util.Set<String> live = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final RouterLogs logs = new RouterLogs(kit.system().scheduler(), kit.system().executionContext(), live::contains);

  {
    live.add("shop");
  }

  @AfterEach
  void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void longLinesAreSplitIntoMessagesOfAtMost64KCharactersAndNoneIsLostOrReordered() {
    for (int i = 0; i < 100; i++) {
      logs.publish("shop", channel.ref(), line(i, 2_000));
    }
    time.timePasses(Duration.ofMillis(50));

    List<LogLine> got = receiveAll(100);
    for (int i = 0; i < 100; i++) {
      assertTrue(got.get(i).message().startsWith(i + " "), "line " + i + " in its place: " + got.get(i).message().substring(0, 10));
    }
  }

  @Test
  void linesBeyondTheBoundWaitingForTheirBatchAreDroppedAndTheRestArrive() {
    int over = 10;
    for (int i = 0; i < RouterLogs.MAX_WAITING + over; i++) {
      logs.publish("shop", channel.ref(), line(i, 10));
    }
    time.timePasses(Duration.ofMillis(50));

    List<LogLine> got = receiveAll(RouterLogs.MAX_WAITING);
    assertEquals((RouterLogs.MAX_WAITING - 1) + " ", got.get(got.size() - 1).message().substring(0, String.valueOf(RouterLogs.MAX_WAITING - 1).length() + 1));
    time.expectNoMessageFor(Duration.ofSeconds(1), channel); // no later batch brings a dropped line
  }

  @Test
  void aLineOfAnAppThatIsGoneStillArrivesAndLeavesNoBatchBehind() {
    logs.publish("shop", channel.ref(), line(1, 10));
    live.remove("shop");
    logs.forget("shop");
    time.timePasses(Duration.ofMillis(50)); // its flush was due already
    assertEquals("1 ", receiveAll(1).get(0).message().substring(0, 2), "the batch went out when its app went");
    assertEquals(0, logs.batches());

    // a request that was in flight when the app went writes its line afterwards
    logs.publish("shop", channel.ref(), line(2, 10));
    assertEquals(1, logs.batches());
    time.timePasses(Duration.ofMillis(50));
    assertEquals("2 ", receiveAll(1).get(0).message().substring(0, 2), "the late line arrives");
    assertEquals(0, logs.batches(), "and its batch is not kept for an app that is gone");

    live.add("shop");
    logs.publish("shop", channel.ref(), line(3, 10));
    time.timePasses(Duration.ofMillis(50));
    receiveAll(1);
    assertEquals(1, logs.batches(), "an app in the table keeps its batch");
  }

  /** Receives messages until {@code count} lines came; each message within the batch bounds. */
  private List<LogLine> receiveAll(int count) {
    List<LogLine> got = new ArrayList<>();
    while (got.size() < count) {
      LogChannel.Command m = channel.receiveMessage(Duration.ofSeconds(10));
      List<LogLine> lines = m instanceof LogChannel.PublishAll all ? all.lines() : List.of(((LogChannel.Publish) m).line());
      int chars = lines.stream().mapToInt(l -> l.message().length()).sum();
      assertTrue(lines.size() <= RouterLogs.MAX_BATCH, "at most " + RouterLogs.MAX_BATCH + " lines: " + lines.size());
      assertTrue(chars <= RouterLogs.MAX_BATCH_CHARS, "at most " + RouterLogs.MAX_BATCH_CHARS + " characters: " + chars);
      got.addAll(lines);
    }
    assertEquals(count, got.size());
    return got;
  }

  private static LogLine line(int i, int length) {
    String text = i + " ";
    return new LogLine(Instant.EPOCH, "heroku", "router", text + "x".repeat(Math.max(0, length - text.length())));
  }
}
