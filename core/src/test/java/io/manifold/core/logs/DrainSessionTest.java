package io.manifold.core.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A drain's delivery, with a transport this test answers by hand (the HTTP transport itself is
 * tested against a real server in the http module): one frame in flight, L10 when the buffer of
 * 1,024 lines overflows, retries with the same frame id.
 */
@ExtendWith(LogCapturingExtension.class)
class DrainSessionTest {
  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  record Post(Map<String, String> headers, String body, CompletableFuture<Integer> answer) {}

  private final BlockingQueue<Post> posts = new LinkedBlockingQueue<>();
  private final DrainTransport transport = (url, headers, body) -> {
    CompletableFuture<Integer> answer = new CompletableFuture<>();
    posts.add(new Post(headers, new String(body, StandardCharsets.UTF_8), answer));
    return answer;
  };

  private Post next() throws InterruptedException {
    Post p = posts.poll(5, TimeUnit.SECONDS);
    assertTrue(p != null, "a frame was posted");
    return p;
  }

  private ActorRef<LogChannel.Command> channelWithDrain() {
    ActorRef<LogChannel.Command> channel = kit.spawn(LogChannel.create("shop", LogSettings.HEROKU, transport));
    channel.tell(new LogChannel.SetDrains(java.util.List.of(new Drain("d1", "https://127.0.0.1:9/logs", "d.token", Instant.now()))));
    return channel;
  }

  @Test
  void oneFrameIsInFlightAndTheLinesThatCameMeanwhileFollowInTheNext() throws Exception {
    ActorRef<LogChannel.Command> channel = channelWithDrain();
    channel.tell(new LogChannel.Publish(LogLine.app(Instant.now(), "web.1", "first")));
    Post first = next();
    assertEquals("1", first.headers().get("Logplex-Msg-Count"));
    assertTrue(first.body().endsWith(" host app web.1 - first"), first.body());
    for (int i = 0; i < 3; i++) {
      channel.tell(new LogChannel.Publish(LogLine.app(Instant.now(), "web.1", "more " + i)));
    }
    assertTrue(posts.poll(300, TimeUnit.MILLISECONDS) == null, "nothing more while a frame is in flight");
    first.answer().complete(204);
    Post second = next();
    assertEquals("3", second.headers().get("Logplex-Msg-Count"));
  }

  @Test
  void aFailedFrameIsRetriedWithTheSameFrameId() throws Exception {
    ActorRef<LogChannel.Command> channel = channelWithDrain();
    channel.tell(new LogChannel.Publish(LogLine.app(Instant.now(), "web.1", "retry me")));
    Post first = next();
    first.answer().complete(500);
    Post again = posts.poll(5, TimeUnit.SECONDS);
    assertTrue(again != null, "retried");
    assertEquals(first.headers().get("Logplex-Frame-Id"), again.headers().get("Logplex-Frame-Id"));
    assertEquals(first.body(), again.body());
    again.answer().complete(200);
  }

  @Test
  void aDrainThatIsNoLongerSetStopsGettingLines() throws Exception {
    ActorRef<LogChannel.Command> channel = channelWithDrain();
    channel.tell(new LogChannel.Publish(LogLine.app(Instant.now(), "web.1", "before")));
    next().answer().complete(204);
    channel.tell(new LogChannel.SetDrains(java.util.List.of()));
    channel.tell(new LogChannel.Publish(LogLine.app(Instant.now(), "web.1", "after")));
    assertTrue(posts.poll(500, TimeUnit.MILLISECONDS) == null, "a removed drain gets nothing");
  }

  @Test
  void aSlowDrainLosesTheOldestLinesAndIsToldWithL10() throws Exception {
    ActorRef<LogChannel.Command> channel = channelWithDrain();
    channel.tell(new LogChannel.Publish(LogLine.app(Instant.now(), "web.1", "line 0")));
    Post first = next();
    for (int i = 1; i <= DrainSession.BUFFER + 50; i++) {
      channel.tell(new LogChannel.Publish(LogLine.app(Instant.now(), "web.1", "line " + i)));
    }
    TestProbe<LogChannel.Lines> sync = kit.createTestProbe();
    channel.tell(new LogChannel.Fetch(LogFilter.ALL, 1, sync.getRef()));
    // every line has reached the channel, which passed each on to the drain's mailbox before this
    // reply; the answer below reaches that mailbox after them
    sync.receiveMessage();
    first.answer().complete(204);
    Post next = next();
    assertTrue(next.body().contains("heroku logplex - Error L10 (output buffer overflow): 50 messages dropped since "), next.body());
    assertTrue(next.body().contains(" - line 51"), "the oldest kept line follows: " + next.body().substring(0, 400));
  }
}
