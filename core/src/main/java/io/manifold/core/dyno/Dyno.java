package io.manifold.core.dyno;

import io.manifold.core.CborSerializable;
import io.manifold.core.logs.LogChannel;
import io.manifold.core.logs.LogLine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.ReceiveBuilder;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * A dyno, as Heroku's dyno manager runs one: {@code starting} until its process runs (and, for a
 * web dyno, until it binds {@code $PORT}), then {@code up}; any exit is a crash, restarted by
 * Heroku's back-off; a stop is SIGTERM, a grace period, then SIGKILL. Every step is logged to the
 * app's channel in Heroku's words ({@code heroku[web.1]: State changed from starting to up}) and
 * every state change is reported to the listener, which is how the router learns where to send
 * traffic. While it runs, its memory is held against the quota of its size now and then: past the
 * quota R14 is logged, past twice the quota R15, and the process is killed.
 *
 * <p>One method per state. Messages from an earlier incarnation of the process (a late exit, a
 * late bind) carry its number and are ignored.
 */
public final class Dyno {

  public sealed interface Command extends CborSerializable {}

  /** Stops the dyno for good; {@link Stopped} once every process of it has ended. */
  public record Stop(ActorRef<Stopped> replyTo) implements Command {}

  public record Stopped(DynoName name) implements CborSerializable {}

  /**
   * Its node is leaving (a graceful stop, a shard hand-off): stop the Heroku way, with nobody to
   * tell; the dyno's app starts it again on another node.
   */
  public enum HandOff implements Command {
    INSTANCE
  }

  /** Restarts the dyno, as the given spec: a config change or a rollback brings a new release. */
  public record Restart(DynoSpec spec) implements Command {}

  public record GetStatus(ActorRef<DynoStatus> replyTo) implements Command {}

  /**
   * Makes sure the dyno runs {@code spec} and reports to {@code listener}: a dyno made with
   * {@link #idle} starts on the first one; one that runs another spec (a new release) restarts into
   * it; one that runs it already just reports its status. Its owner (the app) sends it again and
   * again, which is how a dyno lost with its node comes back, and how the dyno learns where its
   * owner is now.
   */
  public record Ensure(DynoSpec spec, ActorRef<DynoStatus> listener) implements Command {}

  /** Messages the dyno sends itself; they never leave the node. */
  private sealed interface Internal extends Command, NoSerializationVerificationNeeded {}

  private record Launched(int incarnation, DynoRuntime.Running running) implements Internal {}

  private record LaunchFailed(int incarnation, String reason) implements Internal {}

  private record Bound(int incarnation, Endpoint endpoint) implements Internal {}

  private record Exited(int incarnation, int status) implements Internal {}

  private record BootTimedOut(int incarnation) implements Internal {}

  private record GraceExpired(int incarnation) implements Internal {}

  private record KillTimedOut(int incarnation) implements Internal {}

  private record CoolOffOver(int incarnation) implements Internal {}

  private record MemoryCheck(int incarnation) implements Internal {}

  private enum Ignored implements Internal {
    INSTANCE
  }

  /** After SIGKILL, how long to wait for the exit before giving the process up as gone. */
  private static final Duration KILL_WAIT = Duration.ofSeconds(10);

  /**
   * Past this share of its quota a dyno is killed (R15). Heroku documents twice the quota for its
   * 512 MB dynos; Manifold uses it for every size.
   */
  private static final double R15_RATIO = 2.0;

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final StashBuffer<Command> stash;
  private final DynoRuntime runtime;
  private final DynoSettings settings;
  private final java.util.function.Function<String, RecipientRef<LogChannel.Command>> logsFor;
  private final String node;
  private RecipientRef<LogChannel.Command> logs;
  private ActorRef<DynoStatus> listener;

  private DynoSpec spec;
  private DynoState state = DynoState.DOWN;
  private Instant since;
  private Endpoint endpoint;
  private int incarnation;
  private int crashes;
  private DynoRuntime.Running running;

  public static Behavior<Command> create(
      DynoSpec spec,
      DynoRuntime runtime,
      DynoSettings settings,
      RecipientRef<LogChannel.Command> logs,
      ActorRef<DynoStatus> listener) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> Behaviors.withStash(64, stash -> {
      Dyno dyno = new Dyno(ctx, timers, stash, runtime, settings, app -> logs, "local");
      dyno.spec = spec;
      dyno.logs = logs;
      dyno.listener = listener;
      return dyno.launch();
    })));
  }

  /**
   * A dyno that waits for its first {@link Ensure} (a sharded entity starts so, by its id).
   *
   * @param logsFor the log channel of an app, by name
   * @param node where the dyno runs, as {@code ps} shows it
   * @param name the dyno's name, from its entity id
   */
  public static Behavior<Command> idle(
      DynoRuntime runtime,
      DynoSettings settings,
      java.util.function.Function<String, RecipientRef<LogChannel.Command>> logsFor,
      String node,
      DynoName name) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> Behaviors.withStash(64, stash ->
        new Dyno(ctx, timers, stash, runtime, settings, logsFor, node).waiting(name))));
  }

  private Dyno(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      StashBuffer<Command> stash,
      DynoRuntime runtime,
      DynoSettings settings,
      java.util.function.Function<String, RecipientRef<LogChannel.Command>> logsFor,
      String node) {
    this.ctx = ctx;
    this.timers = timers;
    this.stash = stash;
    this.runtime = runtime;
    this.settings = settings;
    this.logsFor = logsFor;
    this.node = node;
  }

  // --- waiting for a spec (an idle entity) ---

  /** @param name the dyno's name, known from its entity id, for a stop that comes before any spec */
  private Behavior<Command> waiting(DynoName name) {
    return Behaviors.receive(Command.class)
        .onMessage(Ensure.class, m -> {
          spec = m.spec();
          listener = m.listener();
          logs = logsFor.apply(spec.app());
          return launch();
        })
        .onMessage(Stop.class, m -> {
          m.replyTo().tell(new Stopped(name));
          return Behaviors.stopped();
        })
        .onMessageEquals(HandOff.INSTANCE, Behaviors::stopped)
        .onMessage(GetStatus.class, m -> Behaviors.same())
        .onAnyMessage(m -> Behaviors.same())
        .build();
  }

  /** In any running state: a new owner ref is kept; another spec is a restart; the same spec, a report. */
  private Behavior<Command> onEnsure(Ensure m, java.util.function.Function<Restart, Behavior<Command>> restart) {
    listener = m.listener();
    if (!m.spec().equals(spec)) {
      return restart.apply(new Restart(m.spec()));
    }
    listener.tell(status());
    return Behaviors.same();
  }

  // --- starting: the process is being launched ---

  private Behavior<Command> launch() {
    int inc = ++incarnation;
    running = null;
    endpoint = null;
    changeState(DynoState.STARTING);
    if (spec.name().isWeb()) {
      // R10 counts from launch, not from when the process happens to be running
      timers.startSingleTimer("boot", new BootTimedOut(inc), settings.bootTimeout());
    }
    log("Starting process with command `" + spec.command() + "`");
    DynoName name = spec.name();
    DynoRuntime.Output output = text -> logs.tell(new LogChannel.Publish(LogLine.app(settings.clock().instant(), name.toString(), text)));
    ctx.pipeToSelf(runtime.launch(spec, output), (r, failure) ->
        failure == null ? new Launched(inc, r) : new LaunchFailed(inc, String.valueOf(failure.getMessage())));
    return launching();
  }

  private Behavior<Command> launching() {
    return Behaviors.receive(Command.class)
        .onMessage(Launched.class, m -> m.incarnation() == incarnation, this::onLaunched)
        .onMessage(LaunchFailed.class, m -> m.incarnation() == incarnation, this::onLaunchFailed)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(Stop.class, this::stashIt)
        .onMessage(Restart.class, this::stashIt)
        .onMessage(Ensure.class, this::stashIt)
        .onMessageEquals(HandOff.INSTANCE, () -> stashIt(HandOff.INSTANCE))
        .onMessage(BootTimedOut.class, m -> m.incarnation() == incarnation, this::stashIt)
        .onAnyMessage(m -> Behaviors.same())
        .onSignal(PostStop.class, s -> onPostStop())
        .build();
  }

  private Behavior<Command> stashIt(Command m) {
    if (!stash.isFull()) {
      stash.stash(m);
    }
    return Behaviors.same();
  }

  private Behavior<Command> onLaunched(Launched m) {
    running = m.running();
    int inc = m.incarnation();
    if (!settings.memoryCheckEvery().isZero()) {
      timers.startTimerWithFixedDelay("memory", new MemoryCheck(inc), settings.memoryCheckEvery());
    }
    ctx.pipeToSelf(running.exited(), (status, failure) -> new Exited(inc, failure == null ? status : 255));
    if (spec.name().isWeb()) {
      ctx.pipeToSelf(running.bound(), (ep, failure) -> failure == null ? new Bound(inc, ep) : Ignored.INSTANCE);
    } else {
      changeState(DynoState.UP);
    }
    return stash.unstashAll(alive());
  }

  private Behavior<Command> onLaunchFailed(LaunchFailed m) {
    timers.cancel("boot");
    log("Error R99 (Platform error) -> Failed to launch the process: " + m.reason());
    return crashed();
  }

  // --- starting or up: the process runs ---

  private Behavior<Command> alive() {
    return Behaviors.receive(Command.class)
        .onMessage(Bound.class, m -> m.incarnation() == incarnation && state == DynoState.STARTING, this::onBound)
        .onMessage(Exited.class, m -> m.incarnation() == incarnation, this::onExitedWhileAlive)
        .onMessage(BootTimedOut.class, m -> m.incarnation() == incarnation && state == DynoState.STARTING, m -> onBootTimedOut())
        .onMessage(MemoryCheck.class, m -> m.incarnation() == incarnation, m -> onMemoryCheck())
        .onMessage(Stop.class, m -> stopping(new ArrayList<>(List.of(m.replyTo())), null))
        .onMessageEquals(HandOff.INSTANCE, () -> stopping(new ArrayList<>(), null))
        .onMessage(Restart.class, this::onRestart)
        .onMessage(Ensure.class, m -> onEnsure(m, this::onRestart))
        .onMessage(GetStatus.class, this::onGetStatus)
        .onAnyMessage(m -> Behaviors.same())
        .onSignal(PostStop.class, s -> onPostStop())
        .build();
  }

  private Behavior<Command> onBound(Bound m) {
    timers.cancel("boot");
    endpoint = m.endpoint();
    changeState(DynoState.UP);
    return Behaviors.same();
  }

  private Behavior<Command> onExitedWhileAlive(Exited m) {
    timers.cancel("boot");
    timers.cancel("memory");
    log("Process exited with status " + m.status());
    running = null;
    if (spec.name().isOneOff()) {
      changeState(DynoState.COMPLETE); // one-off dynos are never restarted
      return Behaviors.stopped();
    }
    return crashed();
  }

  private Behavior<Command> onBootTimedOut() {
    log("Error R10 (Boot timeout) -> Web process failed to bind to $PORT within " + seconds(settings.bootTimeout()) + " of launch");
    return killed();
  }

  /**
   * Heroku's dyno manager samples a dyno's memory: past its quota it logs the figure and R14 (the
   * dyno goes on, in swap); past twice the quota, R15, and the process is killed, which is a crash.
   */
  private Behavior<Command> onMemoryCheck() {
    OptionalLong used = running.memoryBytes();
    if (used.isEmpty()) {
      return Behaviors.same();
    }
    double quota = spec.memoryQuotaMb() * 1024.0 * 1024.0;
    double share = used.getAsLong() / quota;
    if (share <= 1.0) {
      return Behaviors.same();
    }
    log(String.format(Locale.ROOT, "Process running mem=%dMB(%.1f%%)", used.getAsLong() >> 20, share * 100));
    if (share <= R15_RATIO) {
      log("Error R14 (Memory quota exceeded)");
      return Behaviors.same();
    }
    log("Error R15 (Memory quota vastly exceeded)");
    return killed();
  }

  /** SIGKILL now, then the exit, taken as a crash; a process that does not report one is given up. */
  private Behavior<Command> killed() {
    timers.cancel("boot");
    timers.cancel("memory");
    log("Stopping process with SIGKILL");
    running.kill();
    int inc = incarnation;
    timers.startSingleTimer("kill", new KillTimedOut(inc), KILL_WAIT);
    return Behaviors.receive(Command.class)
        .onMessage(Exited.class, e -> e.incarnation() == inc, e -> {
          timers.cancel("kill");
          return onExitedWhileAlive(e);
        })
        .onMessage(KillTimedOut.class, k -> k.incarnation() == inc, k -> onExitedWhileAlive(new Exited(inc, 137)))
        .onMessage(Stop.class, this::stashIt)
        .onMessage(Restart.class, this::stashIt)
        .onMessage(Ensure.class, this::stashIt)
        .onMessageEquals(HandOff.INSTANCE, () -> stashIt(HandOff.INSTANCE))
        .onMessage(GetStatus.class, this::onGetStatus)
        .onAnyMessage(x -> Behaviors.same())
        .onSignal(PostStop.class, s -> onPostStop())
        .build();
  }

  private Behavior<Command> onRestart(Restart m) {
    spec = m.spec();
    crashes = 0;
    log("Restarting");
    changeState(DynoState.STARTING);
    return stopping(new ArrayList<>(), m.spec());
  }

  // --- crashed: waiting out the cool-off ---

  private Behavior<Command> crashed() {
    running = null;
    endpoint = null;
    changeState(DynoState.CRASHED);
    crashes++;
    Duration coolOff = settings.backoff().coolOff(crashes);
    int inc = incarnation;
    if (coolOff.isZero()) {
      ctx.getSelf().tell(new CoolOffOver(inc));
    } else {
      timers.startSingleTimer("cool-off", new CoolOffOver(inc), coolOff);
    }
    Behavior<Command> crashed = Behaviors.receive(Command.class)
        .onMessage(CoolOffOver.class, m -> m.incarnation() == incarnation, m -> launch())
        .onMessage(Restart.class, m -> {
          timers.cancel("cool-off");
          spec = m.spec();
          crashes = 0;
          return launch();
        })
        .onMessage(Ensure.class, m -> {
          listener = m.listener();
          if (m.spec().equals(spec)) {
            listener.tell(status()); // crashed and waiting out its cool-off, as it should
            return Behaviors.same();
          }
          timers.cancel("cool-off");
          spec = m.spec();
          crashes = 0; // a new release resets the back-off
          return launch();
        })
        .onMessage(Stop.class, m -> {
          timers.cancel("cool-off");
          changeState(DynoState.DOWN);
          m.replyTo().tell(new Stopped(spec.name()));
          return Behaviors.stopped();
        })
        .onMessageEquals(HandOff.INSTANCE, () -> {
          timers.cancel("cool-off");
          changeState(DynoState.DOWN);
          return Behaviors.stopped();
        })
        .onMessage(GetStatus.class, this::onGetStatus)
        .onAnyMessage(m -> Behaviors.same())
        .onSignal(PostStop.class, s -> onPostStop())
        .build();
    return stash.unstashAll(crashed);
  }

  // --- stopping: SIGTERM sent, waiting for the exit, SIGKILL after the grace period ---

  /**
   * @param restartAs null to stop for good, else the spec to start again once the process is gone
   */
  private Behavior<Command> stopping(List<ActorRef<Stopped>> replies, DynoSpec restartAs) {
    timers.cancel("boot");
    timers.cancel("memory");
    int inc = incarnation;
    timers.startSingleTimer("grace", new GraceExpired(inc), settings.stopGrace());
    withdrawFromRouting();
    log("Stopping all processes with SIGTERM");
    running.terminate();
    return stoppingReceive(replies, restartAs);
  }

  private Behavior<Command> stoppingReceive(List<ActorRef<Stopped>> replies, DynoSpec restartAs) {
    int inc = incarnation;
    return Behaviors.receive(Command.class)
        .onMessage(Exited.class, m -> m.incarnation() == inc, m -> onExitedWhileStopping(m.status(), replies, restartAs))
        .onMessage(GraceExpired.class, m -> m.incarnation() == inc, m -> {
          log("Error R12 (Exit timeout) -> Process failed to exit within " + seconds(settings.stopGrace()) + " of SIGTERM");
          log("Stopping process with SIGKILL");
          running.kill();
          timers.startSingleTimer("kill", new KillTimedOut(inc), KILL_WAIT);
          return Behaviors.same();
        })
        .onMessage(KillTimedOut.class, m -> m.incarnation() == inc, m -> onExitedWhileStopping(137, replies, restartAs))
        .onMessage(Stop.class, m -> {
          replies.add(m.replyTo());
          return stoppingReceive(replies, null);
        })
        .onMessageEquals(HandOff.INSTANCE, () -> stoppingReceive(replies, null))
        .onMessage(Restart.class, m -> {
          if (restartAs == null) {
            return Behaviors.same(); // going away for good: a restart comes too late
          }
          spec = m.spec();
          return stoppingReceive(replies, m.spec());
        })
        .onMessage(Ensure.class, m -> {
          listener = m.listener();
          if (restartAs == null || m.spec().equals(restartAs)) {
            return Behaviors.same();
          }
          spec = m.spec();
          return stoppingReceive(replies, m.spec());
        })
        .onMessage(GetStatus.class, this::onGetStatus)
        .onAnyMessage(m -> Behaviors.same())
        .onSignal(PostStop.class, s -> onPostStop())
        .build();
  }

  private Behavior<Command> onExitedWhileStopping(int status, List<ActorRef<Stopped>> replies, DynoSpec restartAs) {
    timers.cancel("grace");
    timers.cancel("kill");
    log("Process exited with status " + status);
    running = null;
    if (restartAs != null) {
      spec = restartAs;
      return launch();
    }
    changeState(DynoState.DOWN);
    replies.forEach(r -> r.tell(new Stopped(spec.name())));
    return Behaviors.stopped();
  }

  // --- in every state ---

  private Behavior<Command> onGetStatus(GetStatus m) {
    m.replyTo().tell(status());
    return Behaviors.same();
  }

  private Behavior<Command> onPostStop() {
    // the actor is going away (a node shutting down, a parent stopping): no process may outlive it
    if (running != null) {
      running.kill();
    }
    return Behaviors.same();
  }

  private void changeState(DynoState next) {
    DynoState previous = state;
    state = next;
    since = settings.clock().instant();
    if (previous != next && !(previous == DynoState.DOWN && next == DynoState.STARTING && incarnation == 1)) {
      log("State changed from " + previous + " to " + next);
    }
    listener.tell(status());
  }

  /** Stays {@code up} in {@code heroku ps} until the process is gone, but takes no more requests. */
  private void withdrawFromRouting() {
    endpoint = null;
    listener.tell(status());
  }

  private DynoStatus status() {
    return new DynoStatus(spec.app(), spec.name(), state, since, state == DynoState.UP ? endpoint : null, spec.release(), spec.command(), node);
  }

  private void log(String message) {
    logs.tell(new LogChannel.Publish(LogLine.heroku(settings.clock().instant(), spec.name().toString(), message)));
  }

  private static String seconds(Duration d) {
    long s = d.toSeconds();
    return s == 1 ? "1 second" : s + " seconds";
  }
}
