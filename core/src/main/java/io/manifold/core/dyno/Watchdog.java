package io.manifold.core.dyno;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Kills the dynos' process groups when this JVM dies without stopping them: {@code kill -9}, the
 * OOM killer, a crash. Otherwise a dyno in a session of its own would go on running after its
 * node is gone, and once the cluster has started it again on another node it would run twice.
 *
 * <p>A tiny {@code /bin/sh} watcher, in a session of its own and deaf to terminal signals, reads
 * a pipe whose only writer is this JVM: {@code +PGID} when a dyno starts, {@code -PGID} once it has
 * ended. When the pipe reaches end of file (the kernel closes it as the JVM dies, however it
 * dies) the watcher sends SIGKILL to every group still listed, and to every process of their
 * sessions ({@code pkill -s}, where there is one), then exits. A group is taken off the list when
 * its dyno has ended, so a process group id the system has since given to someone else is never
 * killed.
 *
 * <p>Nothing about the dynos changes: their stdin, their signals and their exit statuses are as
 * before; the watcher only ever acts once this JVM is gone, or when it is {@link #close closed}.
 * A process a dyno moved to a session of its own ({@code setsid}, a daemon's double fork) escapes
 * it, as it escapes the tree walk while the JVM lives.
 *
 * <p>Bounds: one watcher process for the whole runtime (started with its first dyno), its list as
 * long as the runtime's live dynos; no thread of its own here beyond the JDK's reaper for it.
 */
final class Watchdog implements AutoCloseable {
  private static final Path SH = Path.of("/bin/sh");
  private static final Path SETSID = Path.of("/usr/bin/setsid");
  private static final Duration EXIT_WAIT = Duration.ofSeconds(5);

  /**
   * The watcher. Reads {@code +ID} / {@code -ID} lines until end of file, then kills what is still
   * listed. Ids are digits only (the JVM writes them), so the list is {@code " 12 34 "}.
   */
  static final String SCRIPT = """
      trap '' INT TERM HUP QUIT PIPE
      groups=' '
      while IFS= read -r line; do
        case $line in
          +*) groups="$groups${line#+} " ;;
          -*) id=${line#-}
              case $groups in *" $id "*) groups="${groups%%" $id "*} ${groups#*" $id "}" ;; esac ;;
        esac
      done
      for g in $groups; do kill -s KILL -- "-$g" 2>/dev/null; done
      if command -v pkill >/dev/null 2>&1; then
        for g in $groups; do pkill -KILL -s "$g" 2>/dev/null; done
      fi
      exit 0
      """;

  private final Set<Long> guarded = new LinkedHashSet<>();
  private Process watcher;
  private OutputStream pipe;
  private boolean closed;

  /** Whether this system can run the watcher (a POSIX shell; sessions need {@code setsid}). */
  static boolean available() {
    return Files.isExecutable(SH) && Files.isExecutable(SETSID);
  }

  /** Puts a dyno's process group (its shell's pid, as {@code setsid} made it leader) on the list. */
  synchronized void guard(long group) {
    if (closed || !guarded.add(group)) {
      return;
    }
    send("+" + group);
  }

  /** Takes a group off the list once its dyno has ended: the id may be reused from now on. */
  synchronized void release(long group) {
    if (guarded.remove(group)) {
      send("-" + group);
    }
  }

  /** The groups on the list now. */
  synchronized List<Long> guarded() {
    return new ArrayList<>(guarded);
  }

  /** The watcher's pid, or -1 before the first dyno (for tests). */
  synchronized long watcherPid() {
    return watcher == null ? -1 : watcher.pid();
  }

  /**
   * Ends the watcher the way the JVM's death would: what is still listed is killed. Waits for it,
   * bounded, so that it does not outlive the runtime.
   */
  @Override
  public void close() {
    Process w;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      w = watcher;
      closePipe();
    }
    if (w != null) {
      try {
        if (!w.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          w.destroyForcibly();
        }
      } catch (InterruptedException e) {
        w.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Writes a line; if the watcher has died (killed by someone), starts another with the whole list. */
  private void send(String line) {
    if (closed) {
      return;
    }
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        if (watcher == null || !watcher.isAlive()) {
          start();
          return; // the new watcher was given the whole list, this line's change included
        }
        pipe.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        pipe.flush();
        return;
      } catch (IOException e) {
        closePipe();
        watcher = null;
      }
    }
  }

  private void start() throws IOException {
    closePipe();
    watcher = new ProcessBuilder(SETSID.toString(), SH.toString(), "-c", SCRIPT, "manifold-watchdog")
        .redirectInput(ProcessBuilder.Redirect.PIPE)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    pipe = watcher.getOutputStream();
    StringBuilder all = new StringBuilder();
    guarded.forEach(g -> all.append('+').append(g).append('\n'));
    pipe.write(all.toString().getBytes(StandardCharsets.US_ASCII));
    pipe.flush();
  }

  private void closePipe() {
    if (pipe != null) {
      try {
        pipe.close();
      } catch (IOException alreadyGone) {
        // the watcher is gone, which is what closing asks for
      }
      pipe = null;
    }
  }
}
