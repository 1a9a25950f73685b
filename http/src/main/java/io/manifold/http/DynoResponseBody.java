package io.manifold.http;

import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * The body of a dyno's response that did not come whole with its head, as a source for the
 * client's stream: the dyno's connection ({@link DynoWire}, on its selector thread) puts in the
 * body's data as it decodes it, and the stream takes it whenever it wants more. The two meet
 * under this object's lock, as a socket and its stream do in {@link SocketStage}; the stream is
 * told of news by one message per batch.
 *
 * <p>Bound: the wire stops reading from the dyno once {@link NioTransport#MAX_UNREAD} bytes wait
 * here untaken ({@link #offer} says so), and reads again when the stream has taken them
 * ({@link DynoWire#readMore}). A body is read once: a second reader fails at once.
 */
final class DynoResponseBody extends GraphStage<SourceShape<ByteString>> {
  private final Outlet<ByteString> out = Outlet.create("DynoResponseBody.out");
  private final SourceShape<ByteString> shape = SourceShape.of(out);
  /** Told when the stream took what waited after it had paused reading, and when the stream wants no more. */
  private final DynoWire wire;
  // all below under the lock (this)
  private ByteString unread = ByteString.emptyByteString();
  private boolean ended;
  private Throwable failure;
  private boolean paused;
  private boolean materialized;
  private AsyncCallback<Object> news;
  private boolean signalled;

  DynoResponseBody(DynoWire wire) {
    this.wire = wire;
  }

  /** The wire's: more of the body; true when reading should pause until the stream takes it. */
  boolean offer(ByteString data) {
    boolean full;
    synchronized (this) {
      unread = unread.isEmpty() ? data : unread.concat(data);
      full = unread.size() >= NioTransport.MAX_UNREAD;
      paused |= full;
    }
    tell();
    return full;
  }

  /** The wire's: the body is all here. */
  void complete() {
    synchronized (this) {
      ended = true;
    }
    tell();
  }

  /** The wire's: the body broke off ({@code cause}); what was not taken is dropped. */
  void fail(Throwable cause) {
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      failure = cause;
      unread = ByteString.emptyByteString();
    }
    tell();
  }

  private void tell() {
    AsyncCallback<Object> to;
    synchronized (this) {
      if (news == null || signalled) {
        return;
      }
      signalled = true;
      to = news;
    }
    to.invoke(Boolean.TRUE);
  }

  @Override
  public SourceShape<ByteString> shape() {
    return shape;
  }

  @Override
  public String toString() {
    return "DynoResponseBody";
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new GraphStageLogic(shape) {
      {
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            deliver();
          }

          @Override
          public void onDownstreamFinish(Throwable cause) {
            synchronized (DynoResponseBody.this) {
              unread = ByteString.emptyByteString();
            }
            wire.bodyCancelled(DynoResponseBody.this); // its client left: the rest is not worth reading
            completeStage();
          }
        });
      }

      @Override
      public void preStart() {
        AsyncCallback<Object> callback = createAsyncCallback(x -> deliver());
        synchronized (DynoResponseBody.this) {
          if (materialized) {
            failStage(new IllegalStateException("a dyno's response body can be read only once"));
            return;
          }
          materialized = true;
          news = callback;
        }
      }

      /** Passes on what waits when the stream wants it, then the body's end or failure. */
      private void deliver() {
        ByteString data = null;
        boolean over;
        Throwable failed;
        boolean resume = false;
        synchronized (DynoResponseBody.this) {
          signalled = false;
          failed = failure;
          if (failed == null && !unread.isEmpty() && isAvailable(out)) {
            data = unread;
            unread = ByteString.emptyByteString();
            resume = paused;
            paused = false;
          }
          over = ended && unread.isEmpty();
        }
        if (failed != null) {
          failStage(failed);
          return;
        }
        if (data != null) {
          push(out, data);
          if (resume) {
            wire.readMore(DynoResponseBody.this);
          }
        }
        if (over) {
          completeStage(); // after a push, the data goes out first
        }
      }
    };
  }
}
