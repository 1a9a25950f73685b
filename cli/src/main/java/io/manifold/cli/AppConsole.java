package io.manifold.cli;

import io.manifold.core.app.AppHandle;
import io.manifold.core.logs.LogChannel;
import io.manifold.core.logs.LogFilter;
import io.manifold.core.logs.LogLine;
import io.manifold.core.logs.TailSession;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * An app's whole log on the terminal while a node runs ({@code manifold up}, {@code manifold node
 * DIR}): a live tail from any node, printed by {@link ConsolePrinter}; when the node stops, the
 * last lines (the dynos' exits) are printed before it goes, bounded.
 */
final class AppConsole {
  private AppConsole() {}

  static void show(ActorSystem<?> system, AppHandle app, PrintStream out, boolean colour) {
    AtomicReference<LogLine> lastPrinted = new AtomicReference<>();
    ActorRef<TailSession.Event> printer = system.systemActorOf(ConsolePrinter.create(out, colour, lastPrinted), "console", Props.empty());
    app.logs().tell(new LogChannel.Tail(LogFilter.ALL, 1500, printer));
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "print-last-lines", () ->
        AskPattern.<LogChannel.Command, LogChannel.Lines>ask(app.logs(), r -> new LogChannel.Fetch(LogFilter.ALL, 1, r),
                Duration.ofSeconds(2), system.scheduler())
            .thenApply(last -> {
              awaitPrinted(lastPrinted, last.lines(), Duration.ofSeconds(3));
              return Done.getInstance();
            })
            .exceptionally(e -> Done.getInstance()));
  }

  private static void awaitPrinted(AtomicReference<LogLine> printed, List<LogLine> last, Duration within) {
    if (last.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + within.toNanos();
    while (!last.get(0).equals(printed.get()) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
