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
 * A request body that streams from the client, as a sink that hands it to the dyno's connection
 * ({@link DynoWire}) one piece at a time: the next piece is asked for once the last one has been
 * written to the socket, so at most one piece (one read of the client's socket, 64 KiB) waits in
 * the router per request. Chunked when the request had no length, as Heroku's router sends it.
 */
final class DynoRequestBody extends GraphStage<SinkShape<ByteString>> {

  private final Inlet<ByteString> in = Inlet.create("DynoRequestBody.in");
  private final SinkShape<ByteString> shape = SinkShape.of(in);
  private final DynoWire wire;
  private final boolean chunked;
  /** Set before materialization when the wire ended first; read in preStart. */
  private volatile boolean goneEarly;
  private volatile AsyncCallback<Boolean> acks;

  DynoRequestBody(DynoWire wire, boolean chunked) {
    this.wire = wire;
    this.chunked = chunked;
  }

  /** The wire's: the last piece went out to the socket; the next may come. */
  void written() {
    AsyncCallback<Boolean> a = acks;
    if (a != null) {
      a.invoke(Boolean.TRUE);
    }
  }

  /** The wire's: the connection ended; the client's body is not read any further. */
  void gone() {
    goneEarly = true;
    AsyncCallback<Boolean> a = acks;
    if (a != null) {
      a.invoke(Boolean.FALSE);
    }
  }

  @Override
  public SinkShape<ByteString> shape() {
    return shape;
  }

  @Override
  public String toString() {
    return "DynoRequestBody";
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new GraphStageLogic(shape) {
      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            ByteString piece = grab(in);
            if (piece.isEmpty()) {
              pull(in);
              return;
            }
            wire.bodyPiece(DynoRequestBody.this, chunked ? ChunkedBody.frame(piece) : piece);
          }

          @Override
          public void onUpstreamFinish() {
            wire.bodyEnd(DynoRequestBody.this, chunked ? ChunkedBody.LAST_CHUNK : ByteString.emptyByteString());
            completeStage();
          }

          @Override
          public void onUpstreamFailure(Throwable cause) {
            wire.bodyBroke(DynoRequestBody.this, cause); // the client broke its body off: the dyno cannot be told otherwise
            failStage(cause);
          }
        });
      }

      @Override
      public void preStart() {
        acks = createAsyncCallback(more -> {
          if (!more) {
            stop();
          } else if (!isClosed(in)) {
            pull(in);
          }
        });
        if (goneEarly) {
          stop();
        } else {
          pull(in);
        }
      }

      private void stop() {
        cancel(in);
        completeStage();
      }
    };
  }
}
