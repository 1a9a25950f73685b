package io.manifold.sim.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;

class VirtualTimeTest {

  /** Each step starts the next one's timer from its own handler, as the dyno's timers do. */
  private static Behavior<Integer> chain(int steps, Duration each, List<String> seen, EventLoop[] loop) {
    return Behaviors.withTimers(timers -> Behaviors.receive(Integer.class)
        .onMessage(Integer.class, step -> {
          seen.add(step + "@" + loop[0].nanos() / 1_000_000);
          if (step < steps) {
            timers.startSingleTimer(step + 1, each);
          }
          return Behaviors.same();
        })
        .build());
  }

  private static ActorSystem<Integer> start(Behavior<Integer> guardian, String name) {
    return ActorSystem.create(guardian, name, VirtualTime.config(ConfigFactory.load()));
  }

  @Test
  void aTimerStartedInATimerHandlerIsDueFromThatHandlersMoment() {
    List<String> seen = new ArrayList<>();
    EventLoop[] loop = new EventLoop[1];
    ActorSystem<Integer> system = start(chain(10, Duration.ofSeconds(1), seen, loop), "chain");
    try {
      loop[0] = VirtualTime.loop(system);
      long t0 = loop[0].nanos();
      system.tell(1);
      loop[0].drive(t0 + Duration.ofSeconds(10).toNanos(), () -> false);
      assertEquals(10, seen.size(), seen.toString());
      for (int i = 0; i < 10; i++) {
        assertEquals((i + 1) + "@" + (t0 / 1_000_000 + i * 1000L), seen.get(i));
      }
      assertEquals(t0 + Duration.ofSeconds(10).toNanos(), loop[0].nanos());
    } finally {
      system.terminate();
    }
  }

  @Test
  void timeDoesNotMoveWithoutADriveAndStopsWhereTheConditionHolds() {
    List<String> seen = new ArrayList<>();
    EventLoop[] loop = new EventLoop[1];
    ActorSystem<Integer> system = start(chain(100, Duration.ofMillis(250), seen, loop), "stop");
    try {
      loop[0] = VirtualTime.loop(system);
      long t0 = loop[0].nanos();
      system.tell(1);
      loop[0].settle();
      assertEquals(List.of("1@" + t0 / 1_000_000), seen);
      loop[0].drive(Long.MAX_VALUE, () -> seen.size() == 5);
      assertEquals(5, seen.size());
      assertEquals(t0 + Duration.ofMillis(1000).toNanos(), loop[0].nanos());
    } finally {
      system.terminate();
    }
  }

  @Test
  void anAskFromOutsideIsAnsweredWhileTimeStandsStill() throws Exception {
    Behavior<Echo> echo = Behaviors.receive(Echo.class)
        .onMessage(Echo.class, m -> {
          m.replyTo().tell(m.text());
          return Behaviors.same();
        })
        .build();
    ActorSystem<Echo> system = ActorSystem.create(echo, "ask", VirtualTime.config(ConfigFactory.load()));
    try {
      CompletableFuture<String> reply = AskPattern.<Echo, String>ask(system, r -> new Echo("hi", r),
          Duration.ofSeconds(3), system.scheduler()).toCompletableFuture();
      assertEquals("hi", reply.get(5, TimeUnit.SECONDS));
    } finally {
      system.terminate();
    }
  }

  record Echo(String text, ActorRef<String> replyTo) {}

  @Test
  void eventsAtTheSameTimeRunInTheOrderTheyWereScheduled() {
    try (EventLoop loop = new EventLoop(EventLoop.Pacing.VIRTUAL, "order")) {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        int n = i;
        loop.at(1000 - (i % 3) * 100, () -> order.add(n));
      }
      loop.drive(1000, () -> false);
      List<Integer> expected = new ArrayList<>();
      for (int r : new int[] {2, 1, 0}) {
        for (int i = 0; i < 50; i++) {
          if (i % 3 == r) {
            expected.add(i);
          }
        }
      }
      assertEquals(expected, order);
    }
  }

  @Test
  void aFailingEventEndsTheDriveWithItsError() {
    try (EventLoop loop = new EventLoop(EventLoop.Pacing.VIRTUAL, "fail")) {
      loop.at(10, () -> {
        throw new ArithmeticException("boom");
      });
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.drive(100, () -> false));
      assertTrue(e.getMessage().contains("boom"), e.getMessage());
    }
  }

  @Test
  void realTimeRunsEventsWhenTheWallClockGetsThere() throws Exception {
    try (EventLoop loop = new EventLoop(EventLoop.Pacing.REAL, "real")) {
      CompletableFuture<Long> ran = new CompletableFuture<>();
      long due = loop.nanos() + Duration.ofMillis(30).toNanos();
      loop.at(due, () -> ran.complete(loop.nanos()));
      long at = ran.get(5, TimeUnit.SECONDS);
      assertTrue(at >= due, "ran at " + at + " before " + due);
    }
  }
}
