package io.manifold.http;

import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.SinkShape;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * An answer's body that streams (from its dyno, watched for H15, H18 and H27), written to its
 * client by a {@link ClientWire}: one piece at a time, the next taken only once the socket took
 * the last, so that a slow client holds its dyno up through TCP rather than filling the router.
 * It runs on the wire's router thread, as the wire does.
 */
final class ClientResponseBody extends GraphStage<SinkShape<ByteString>> {
  /** The wire's handle on the stream: the socket took the last piece; or the client is gone. */
  interface Feed {
    void more();

    void cancel();
  }

  private final Inlet<ByteString> in = Inlet.create("ClientResponseBody.in");
  private final SinkShape<ByteString> shape = SinkShape.of(in);
  private final ClientWire wire;

  ClientResponseBody(ClientWire wire) {
    this.wire = wire;
  }

  @Override
  public SinkShape<ByteString> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new Logic();
  }

  private final class Logic extends GraphStageLogic implements Feed {
    private final AsyncCallback<Boolean> news = createAsyncCallback(more -> {
      if (!more) {
        cancelStage(new ClientGone());
      } else if (!isClosed(in) && !hasBeenPulled(in)) {
        pull(in);
      }
    });

    Logic() {
      super(shape);
      setHandler(in, new AbstractInHandler() {
        @Override
        public void onPush() {
          if (wire.piece(grab(in))) {
            pull(in);
          }
        }

        @Override
        public void onUpstreamFinish() {
          wire.bodyEnded();
        }

        @Override
        public void onUpstreamFailure(Throwable ex) {
          wire.bodyFailed(ex);
        }
      });
    }

    @Override
    public void preStart() {
      if (wire.bodyStarted(this)) {
        pull(in);
      } else {
        cancelStage(new ClientGone());
      }
    }

    @Override
    public void more() {
      news.invoke(Boolean.TRUE);
    }

    @Override
    public void cancel() {
      news.invoke(Boolean.FALSE);
    }
  }

  /** Why a body stops being read: its client went away (the body's watch logs H27). */
  static final class ClientGone extends RuntimeException {
    ClientGone() {
      super("the client closed its connection", null, false, false);
    }
  }
}
