package io.manifold.sim.time;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * An ActorSystem in virtual time: its scheduler is a {@link VirtualClockScheduler} and its one
 * dispatcher the scheduler's loop thread ({@link QuiescentExecutorConfigurator}); Pekko's internal
 * dispatcher is an alias of it, so that nothing of the system runs on another thread.
 */
public final class VirtualTime {
  /** Where virtual time starts on log lines: the day Rap Genius published its routing analysis. */
  public static final Instant EPOCH = Instant.parse("2013-02-13T00:00:00Z");

  private VirtualTime() {}

  /** The settings that put a system in virtual time, over {@code fallback}. */
  public static Config config(Config fallback) {
    return ConfigFactory.parseString(String.join("\n",
        "pekko.scheduler.implementation = \"" + VirtualClockScheduler.class.getName() + "\"",
        "pekko.actor.default-dispatcher.executor = \"" + QuiescentExecutorConfigurator.class.getName() + "\"",
        "pekko.actor.default-dispatcher.throughput = 1",
        // an alias: Pekko's own actors share the one thread, so that quiescence means all of them
        "pekko.actor.internal-dispatcher = \"pekko.actor.default-dispatcher\"",
        // a stopped run's late timers and exits go to dead letters by design
        "pekko.log-dead-letters = off",
        "pekko.log-dead-letters-during-shutdown = off",
        "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off",
        "pekko.jvm-shutdown-hooks = off"))
        .withFallback(fallback);
  }

  /** The loop of a system created with {@link #config}. */
  public static EventLoop loop(ActorSystem<?> system) {
    if (!(system.classicSystem().scheduler() instanceof VirtualClockScheduler scheduler)) {
      throw new IllegalArgumentException("system " + system.name() + " does not run in virtual time");
    }
    return scheduler.loop();
  }

  /** A wall clock over a simulation clock, for what actors write on log lines. */
  public static Clock clock(SimClock sim, Instant epoch) {
    return new SimWallClock(sim, epoch, ZoneOffset.UTC);
  }

  private static final class SimWallClock extends Clock {
    private final SimClock sim;
    private final Instant epoch;
    private final ZoneId zone;

    SimWallClock(SimClock sim, Instant epoch, ZoneId zone) {
      this.sim = sim;
      this.epoch = epoch;
      this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public Clock withZone(ZoneId z) {
      return new SimWallClock(sim, epoch, z);
    }

    @Override
    public Instant instant() {
      return epoch.plusNanos(sim.nanos());
    }
  }
}
