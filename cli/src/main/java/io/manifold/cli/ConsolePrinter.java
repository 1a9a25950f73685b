package io.manifold.cli;

import io.manifold.core.logs.LogLine;
import io.manifold.core.logs.TailSession;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A live tail that prints an app's log to the terminal, Heroku-formatted, each dyno in a colour of
 * its own (as {@code heroku local} and foreman do), and no colour when the output is not a
 * terminal. It acknowledges each batch once printed, so a slow terminal costs lines (with L11),
 * never the manifold's speed.
 */
final class ConsolePrinter {
  private ConsolePrinter() {}

  /** @param lastPrinted the last line printed, so that shutdown can wait for the printer to catch up */
  static Behavior<TailSession.Event> create(PrintStream out, boolean colour, AtomicReference<LogLine> lastPrinted) {
    LogColours colours = new LogColours();
    return Behaviors.receive(TailSession.Event.class)
        .onMessage(TailSession.Batch.class, batch -> {
          for (LogLine line : batch.lines()) {
            out.println(colour ? colours.colour(line.format()) : line.format());
          }
          out.flush();
          if (!batch.lines().isEmpty()) {
            lastPrinted.set(batch.lines().get(batch.lines().size() - 1));
          }
          batch.ackTo().tell(TailSession.Ack.INSTANCE);
          return Behaviors.same();
        })
        .onMessage(TailSession.Refused.class, refused -> {
          System.err.println("manifold: cannot show the log: " + refused.reason());
          return Behaviors.stopped();
        })
        .build();
  }
}
