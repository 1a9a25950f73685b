package io.manifold.core.dyno;

import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;

/**
 * What runs inside a dyno. The {@link Dyno} behavior owns the lifecycle (states, time-outs,
 * restarts, logs); a runtime only starts something, reports when it listens and when it ends, and
 * passes on signals. The process runtime runs {@code /bin/sh -c <command>}; a synthetic runtime
 * (module {@code sim}) serves requests without a process.
 */
public interface DynoRuntime {

  /**
   * Starts the dyno. May do blocking work, but never on the caller's thread: the stage completes
   * once the dyno runs, or fails if it could not be started at all.
   *
   * @param output receives every line the dyno writes (stdout and stderr alike, as on Heroku),
   *     from any thread
   */
  CompletionStage<Running> launch(DynoSpec spec, Output output);

  /**
   * The node dies: every dyno this runtime started dies at once, without reporting an exit (no
   * one is left to hear it). Nothing by default.
   */
  default void killAll() {}

  /** The node is gone: nothing of this runtime may outlive it. Nothing by default. */
  default void close() {}

  /** A line sink for what a dyno prints. Called from the runtime's threads. */
  @FunctionalInterface
  interface Output {
    void line(String text);
  }

  /** A started dyno. */
  interface Running {
    /**
     * Completes when the dyno accepts connections on its {@code $PORT}; never completes for a dyno
     * that does not bind (the {@link Dyno} decides when that is an R10).
     */
    CompletionStage<Endpoint> bound();

    /**
     * Completes with the exit status once every process of the dyno has ended: 0-255, or 128 plus
     * the signal number (143 after SIGTERM, 137 after SIGKILL), as Heroku reports it.
     */
    CompletionStage<Integer> exited();

    /** Sends SIGTERM to every process of the dyno. */
    void terminate();

    /** Sends SIGKILL to every process of the dyno. */
    void kill();

    /** The port the dyno was given as {@code $PORT}. */
    int port();

    /**
     * The process id of the dyno's first process (its process group's leader, as the process
     * runtime starts each dyno in a session of its own), or -1 for a dyno without processes.
     */
    default long pid() {
      return -1;
    }

    /**
     * The memory the dyno uses now, as Heroku counts it against the quota of its size, or empty
     * when the runtime cannot tell. The {@link Dyno} asks now and then (R14, R15), from its own
     * thread: the answer must be quick and must not block.
     */
    default OptionalLong memoryBytes() {
      return OptionalLong.empty();
    }
  }
}
