package io.manifold.http;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * Watches a body on its way through the router, in either direction: counts its bytes, enforces
 * Heroku's rolling idle window (55 s without a byte: H15 for a dyno's response, H28 for a
 * client's request body), and tells exactly once how it ended: completed, failed at its source,
 * idle, or cancelled by its reader (for a response: the client went away, H27).
 *
 * <p>The idle check is a timer every eighth of the window, not one per chunk, so a chunk costs a
 * clock read and an add.
 */
final class BodyWatch extends GraphStage<FlowShape<ByteString, ByteString>> {

  enum End { COMPLETED, FAILED, IDLE, CANCELLED }

  interface Listener {
    /** Called once, on the stream's thread; must not block. */
    void ended(End how, long bytes, Throwable cause);
  }

  /** The failure an idle body ends with. */
  static final class IdleBody extends TimeoutException {
    IdleBody(Duration idle) {
      super("no byte for " + idle.toMillis() + " ms");
    }
  }

  private final Inlet<ByteString> in = Inlet.create("BodyWatch.in");
  private final Outlet<ByteString> out = Outlet.create("BodyWatch.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
  private final Duration idle;
  private final Listener listener;

  BodyWatch(Duration idle, Listener listener) {
    this.idle = idle;
    this.listener = listener;
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new TimerGraphStageLogic(shape) {
      private final long idleNanos = idle.toNanos();
      private long bytes;
      private long lastNanos = System.nanoTime();
      private boolean reported;

      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            ByteString chunk = grab(in);
            bytes += chunk.size();
            lastNanos = System.nanoTime();
            push(out, chunk);
          }

          @Override
          public void onUpstreamFinish() {
            report(End.COMPLETED, null);
            completeStage();
          }

          @Override
          public void onUpstreamFailure(Throwable ex) {
            report(End.FAILED, ex);
            failStage(ex);
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(in);
          }

          @Override
          public void onDownstreamFinish(Throwable cause) {
            report(End.CANCELLED, cause);
            cancelStage(cause);
          }
        });
      }

      @Override
      public void preStart() {
        Duration check = Duration.ofNanos(Math.max(idleNanos / 8, 10_000_000L));
        scheduleWithFixedDelay("idle", check, check);
      }

      @Override
      public void onTimer(Object key) {
        if (System.nanoTime() - lastNanos >= idleNanos) {
          IdleBody timeout = new IdleBody(idle);
          report(End.IDLE, timeout);
          failStage(timeout);
        }
      }

      @Override
      public void postStop() {
        report(End.CANCELLED, null); // torn down without a word (the connection was aborted)
      }

      private void report(End how, Throwable cause) {
        if (!reported) {
          reported = true;
          listener.ended(how, bytes, cause);
        }
      }
    };
  }
}
