package io.manifold.sim.run;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.manifold.core.routing.RoutingTable;
import io.manifold.sim.time.EventLoop;
import io.manifold.sim.time.VirtualTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * Where simulated manifolds run: an ActorSystem and the clock of the request path, in one of two
 * kinds of time. {@link Time#VIRTUAL}: the system runs in virtual time ({@link VirtualTime}) and its
 * loop is also the request path's clock; nothing waits for the wall clock. {@link Time#REAL}: a
 * normal ActorSystem (Pekko's dispatcher and scheduler) and a request-path loop that follows the
 * wall clock. The same runs go through both; only the waiting differs.
 *
 * <p>The main thread acts on a virtual system only while it is quiescent (every call here returns
 * at quiescence), so that what it sends is ordered the same way on every run.
 */
public final class SimSystem implements AutoCloseable {

  public enum Time {
    VIRTUAL, REAL;

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** How long to wait for a spawn's answer and for the system to end. */
  private static final Duration ACTOR_WAIT = Duration.ofSeconds(30);

  private final Time time;
  private final ActorSystem<SpawnProtocol.Command> system;
  private final EventLoop clock;
  private final Clock wall;

  private SimSystem(Time time, ActorSystem<SpawnProtocol.Command> system, EventLoop clock, Clock wall) {
    this.time = time;
    this.system = system;
    this.clock = clock;
    this.wall = wall;
  }

  public static SimSystem start(Time time) {
    Config base = ConfigFactory.parseString("pekko.log-dead-letters = off\npekko.log-dead-letters-during-shutdown = off")
        .withFallback(ConfigFactory.load());
    if (time == Time.VIRTUAL) {
      ActorSystem<SpawnProtocol.Command> system = ActorSystem.create(SpawnProtocol.create(), "sim", VirtualTime.config(base));
      EventLoop loop = VirtualTime.loop(system);
      return new SimSystem(time, system, loop, VirtualTime.clock(loop, VirtualTime.EPOCH));
    }
    ActorSystem<SpawnProtocol.Command> system = ActorSystem.create(SpawnProtocol.create(), "sim", base);
    return new SimSystem(time, system, new EventLoop(EventLoop.Pacing.REAL, "manifold-sim-requests"), Clock.systemUTC());
  }

  public Time time() {
    return time;
  }

  public ActorSystem<SpawnProtocol.Command> actorSystem() {
    return system;
  }

  /** The request path's clock and thread. */
  public EventLoop clock() {
    return clock;
  }

  /** The wall clock actors write on log lines: virtual from {@link VirtualTime#EPOCH}, or the real one. */
  public Clock wall() {
    return wall;
  }

  /** Starts an actor under the system's guardian and returns once it exists. */
  public <T> ActorRef<T> spawn(Behavior<T> behavior, String name) {
    CompletableFuture<ActorRef<T>> spawned = AskPattern.<SpawnProtocol.Command, ActorRef<T>>ask(system,
        replyTo -> new SpawnProtocol.Spawn<>(behavior, name, Props.empty(), replyTo), ACTOR_WAIT, system.scheduler())
        .toCompletableFuture();
    return get(spawned, "spawning " + name);
  }

  /**
   * Lets the simulation run until {@code done} completes or the clock reaches {@code until}
   * (clock nanoseconds), whichever is first.
   */
  public void await(CompletableFuture<?> done, long until) {
    if (time == Time.VIRTUAL) {
      clock.drive(until, done::isDone);
    } else {
      clock.await(done, Math.max(0, until - clock.nanos()));
    }
  }

  /**
   * Lets the simulation run until {@code condition} holds, for at most {@code maxNanos} of its
   * time; {@code tables} are where the change is expected, so real time wakes up on their changes.
   *
   * @return whether the condition holds
   */
  public boolean awaitCondition(BooleanSupplier condition, long maxNanos, List<RoutingTable> tables) {
    long until = clock.nanos() + maxNanos;
    if (time == Time.VIRTUAL) {
      clock.drive(until, condition);
      return condition.getAsBoolean();
    }
    while (!condition.getAsBoolean()) {
      long left = until - clock.nanos();
      if (left <= 0) {
        return false;
      }
      List<CompletableFuture<Void>> changes = new ArrayList<>();
      tables.forEach(t -> changes.add(t.nextChange().toCompletableFuture()));
      if (condition.getAsBoolean()) {
        break;
      }
      try {
        CompletableFuture.anyOf(changes.toArray(new CompletableFuture<?>[0])).get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return condition.getAsBoolean();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }
    return true;
  }

  /** Runs {@code work} on the clock's thread, once what is due now has run, and returns its result. */
  public <T> T onClock(Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    clock.post(() -> result.complete(work.get()));
    if (time == Time.VIRTUAL) {
      clock.drive(clock.nanos(), result::isDone);
    }
    return get(result, "waiting for the simulation's thread");
  }

  /** In virtual time: lets every message in flight be handled, without moving time. */
  public void settle() {
    if (time == Time.VIRTUAL) {
      clock.settle();
    }
  }

  @Override
  public void close() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(ACTOR_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // the system is going away regardless; nothing of it is needed any more
    }
    if (time == Time.REAL) {
      clock.close();
    }
  }

  private static <T> T get(CompletableFuture<T> f, String what) {
    try {
      return f.get(ACTOR_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + what, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("failed while " + what + ": " + e, e);
    }
  }
}
