package io.manifold.http;

import io.manifold.core.routing.HCode;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpProtocols;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SubscriptionWithCancelException;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * The HTTP/1.1 of one keep-alive connection to a dyno, in place of Pekko HTTP's client layer: a
 * stage between the dyno's socket ({@link SocketStage}) and the connection ({@link Listener}).
 * Requests come in through {@link Requests} (their heads rendered already, {@link DynoRequest})
 * and go out as bytes; the dyno's bytes come in and each response is handed to the listener. The
 * connection carries one request at a time (so there is no pipelining to keep in order), and a
 * proxy reads little of a response: its status line, the headers that frame its body, and the
 * rest raw. Pekko's client layer did the same work at a far higher cost per request (its
 * rendering built a copy of the head for every header line, and each request took several stream
 * stages and a source of its own), which was most of what the router added to a request.
 *
 * <p>Heroku's rules on a response are kept here: a status line without a reason phrase is H17
 * ({@link StatusLineCheck.MissingReasonPhrase}), an oversized status line or header H25
 * ({@link ResponseHead.Reader}), any other malformed head H17 ({@link BadResponse}); a body the
 * dyno cuts short or breaks fails the response's stream ({@link BrokenBody}: H18 downstream).
 * Interim responses (100 Continue) are read and dropped: the request's body goes out at once.
 *
 * <p>Before a response whose connection cannot carry another request is handed on, the listener
 * is told it is {@link Listener#closing} (the dyno said {@code Connection: close}, the body ends
 * with the connection, or the request's body was not all sent), so that the connection is not
 * given to the next request in the moment before it closes.
 */
final class DynoWire extends AbstractGraphStageWithMaterializedValue<FlowShape<ByteString, ByteString>, DynoWire.Requests> {

  /** A response head Heroku's router refuses: its H-code and {@code cause=}. */
  static final class BadResponse extends IllegalStateException {
    final HCode code;
    final String cause;

    BadResponse(HCode code, String cause, String what) {
      super("Illegal response from the dyno: " + what);
      this.code = code;
      this.cause = cause;
    }
  }

  /** A response body that ended before its framing said it would, or broke its framing. */
  static final class BrokenBody extends IllegalStateException {
    BrokenBody(String what) {
      super(what);
    }
  }

  /** What the connection is told by its wire. Called on the wire's thread, from inside the stage. */
  interface Listener {
    /** The connection closes after the response now on it: it is not to be given another request. */
    void closing();

    /** The response to the request sent, its head read (its body may still stream). */
    void answered(HttpResponse response);

    /** The wire stopped: the dyno closed, the connection failed ({@code cause}), or it was closed. */
    void ended(Throwable cause);
  }

  /** How requests reach the wire: from any thread, each a message to the wire's stream. */
  interface Requests {
    /** Sends {@code request}; the connection carries one at a time. */
    void send(DynoRequest request);

    /** No more requests: the connection closes once the one on it is over. */
    void complete();

    /** The request on it is given up: the connection closes at once (with a reset). */
    void fail(Throwable cause);
  }

  private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};

  private final Inlet<ByteString> bytesIn = Inlet.create("DynoWire.fromDyno");
  private final Outlet<ByteString> bytesOut = Outlet.create("DynoWire.toDyno");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(bytesIn, bytesOut);
  private final int maxStatusLine;
  private final int maxHeaderLine;
  private final Listener listener;

  /** @param listener told of each response, and when the connection closes or will */
  DynoWire(int maxStatusLine, int maxHeaderLine, Listener listener) {
    this.maxStatusLine = maxStatusLine;
    this.maxHeaderLine = maxHeaderLine;
    this.listener = listener;
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public Pair<GraphStageLogic, Requests> createLogicAndMaterializedValuePair(Attributes attributes) {
    Logic logic = new Logic();
    return Pair.create(logic, logic.requests);
  }

  private final class Logic extends GraphStageLogic {
    private final ResponseHead.Reader reader = new ResponseHead.Reader(maxStatusLine, maxHeaderLine);
    /** Bytes from the dyno not yet read. */
    private ByteString buffered = ByteString.emptyByteString();
    /** A request went out and its response is not over. */
    private boolean awaiting;
    private boolean headRequest;
    /** The request was HTTP/1.0: the dyno closes the connection after its answer. */
    private boolean requestCloses;
    /** The request's streamed body, while it goes out. */
    private SubSinkInlet<ByteString> requestBody;
    /** The response's body, while it streams. */
    private SubSourceOutlet<ByteString> body;
    /** Bytes of a Content-Length body still to come, or -1 for one that ends with the connection. */
    private long bodyLeft;
    private ChunkedBody chunks;
    private boolean closeAfter;
    private boolean dynoDone;
    /** No more requests will come. */
    private boolean requestsOver;
    /** Why the wire failed, for its listener. */
    private Throwable failure;
    private final AsyncCallback<DynoRequest> sent = createAsyncCallback(this::send);
    private final AsyncCallback<Throwable> ended = createAsyncCallback(cause -> {
      requestsOver = true;
      if (cause != null) {
        fail(cause);
      } else if (!awaiting) {
        completeStage();
      }
    });
    final Requests requests = new Requests() {
      @Override
      public void send(DynoRequest request) {
        sent.invoke(request);
      }

      @Override
      public void complete() {
        ended.invoke(null);
      }

      @Override
      public void fail(Throwable cause) {
        ended.invoke(cause);
      }
    };

    Logic() {
      super(shape);
      setHandler(bytesIn, new AbstractInHandler() {
        @Override
        public void onPush() {
          ByteString chunk = grab(bytesIn);
          buffered = buffered.isEmpty() ? chunk : buffered.concat(chunk);
          read();
        }

        @Override
        public void onUpstreamFinish() {
          dynoDone = true;
          if (body != null) {
            read();
          } else if (awaiting) {
            fail(new DynoConnections.ClosedWithoutResponse(null));
          } else {
            completeStage();
          }
        }

        @Override
        public void onUpstreamFailure(Throwable cause) {
          fail(cause);
        }
      });
      setHandler(bytesOut, new AbstractOutHandler() {
        @Override
        public void onPull() {
          // what goes out is emitted: each piece of a request's body pulls the next once it went
        }

        @Override
        public void onDownstreamFinish(Throwable cause) {
          if (!(cause instanceof SubscriptionWithCancelException.NonFailureCancellation)) {
            fail(cause);
          } else if (!awaiting) {
            completeStage();
          } // else the socket's reading side says how the exchange ends
        }
      });
    }

    @Override
    public void preStart() {
      pull(bytesIn); // also while idle, to see the dyno close the connection
    }

    @Override
    public void postStop() {
      listener.ended(failure);
    }

    /** Fails the wire, and the response's body if one is streaming, with {@code cause}. */
    private void fail(Throwable cause) {
      if (body != null) {
        body.fail(cause);
        body = null;
      }
      failure = cause;
      failStage(cause);
    }

    private void send(DynoRequest request) {
      awaiting = true;
      headRequest = request.headMethod();
      requestCloses = request.http10();
      RequestEntity entity = request.entity();
      if (entity.isStrict()) {
        ByteString data = ((HttpEntity.Strict) entity).getData();
        emit(bytesOut, data.isEmpty() ? request.head() : request.head().concat(data));
      } else {
        boolean chunked = entity.isChunked() || entity.getContentLengthOption().isEmpty();
        emit(bytesOut, request.head(), () -> sendBody(entity.getDataBytes(), chunked));
      }
    }

    /** Sends a streamed request body, one piece at a time as the socket takes them. */
    private void sendBody(Source<ByteString, ?> data, boolean chunked) {
      SubSinkInlet<ByteString> in = new SubSinkInlet<>("DynoWire.requestBody");
      requestBody = in;
      in.setHandler(new AbstractInHandler() {
        @Override
        public void onPush() {
          ByteString piece = in.grab();
          if (piece.isEmpty()) {
            in.pull();
            return;
          }
          ByteString framed = chunked
              ? ByteString.fromString(Integer.toHexString(piece.length()) + "\r\n").concat(piece).concat(ByteString.fromString("\r\n"))
              : piece;
          emit(bytesOut, framed, () -> {
            if (!in.isClosed()) {
              in.pull();
            }
          });
        }

        @Override
        public void onUpstreamFinish() {
          requestBody = null;
          if (chunked) {
            emit(bytesOut, ByteString.fromArray(LAST_CHUNK));
          }
        }

        @Override
        public void onUpstreamFailure(Throwable cause) {
          requestBody = null;
          fail(cause); // the client broke its body off: the dyno cannot be told otherwise
        }
      });
      data.runWith(in.sink(), subFusingMaterializer());
      in.pull();
    }

    /** Reads what the dyno sent: the head of a response, or the next piece of its body. */
    private void read() {
      try {
        while (body == null) {
          if (!awaiting) {
            if (!buffered.isEmpty()) {
              completeStage(); // the dyno wrote without being asked: the connection is not to be trusted
            } else {
              pullFromDyno();
            }
            return;
          }
          if (buffered.isEmpty()) {
            if (dynoDone) {
              fail(new DynoConnections.ClosedWithoutResponse(null));
            } else {
              pullFromDyno();
            }
            return;
          }
          ByteString in = buffered;
          buffered = ByteString.emptyByteString();
          int used = reader.feed(in);
          if (used < 0) {
            pullFromDyno();
            return;
          }
          buffered = in.drop(used);
          ResponseHead head = reader.head();
          if (!head.interim()) {
            respond(head);
          }
        }
        readBody();
      } catch (BadResponse | StatusLineCheck.MissingReasonPhrase | BrokenBody e) {
        fail(e);
      }
    }

    private void pullFromDyno() {
      if (!isClosed(bytesIn) && !hasBeenPulled(bytesIn)) {
        pull(bytesIn);
      }
    }

    /** Hands the response on: with its body if that is all here, or with a stream of it. */
    private void respond(ResponseHead head) {
      closeAfter = head.close() || requestCloses;
      ContentType type = DynoHeaders.contentType(head.contentType());
      int status = head.status();
      ResponseEntity entity;
      boolean over = false;
      if (headRequest || status == 204 || status == 304 || status == 101) {
        // no body follows, whatever the head says its length would be
        entity = head.contentLength() > 0
            ? HttpEntities.create(type, head.contentLength(), Source.empty())
            : HttpEntities.create(type, ByteString.emptyByteString());
        over = true;
      } else if (head.chunked()) {
        chunks = new ChunkedBody();
        entity = HttpEntities.createChunked(type, openBody());
      } else if (head.contentLength() >= 0 && buffered.length() >= head.contentLength()) {
        int length = (int) head.contentLength();
        entity = HttpEntities.create(type, buffered.take(length));
        buffered = buffered.drop(length);
        over = true;
      } else if (head.contentLength() >= 0) {
        bodyLeft = head.contentLength();
        entity = HttpEntities.create(type, head.contentLength(), openBody());
      } else {
        closeAfter = true;
        bodyLeft = -1;
        entity = HttpEntities.createCloseDelimited(type, openBody());
      }
      if (over && lastOnConnection()) {
        listener.closing(); // before the relay has the response, and gives the connection back
      }
      HttpResponse response = HttpResponse.create().withStatus(status(status, head.reason()))
          .withHeaders(head.headers()).withEntity(entity);
      listener.answered(head.http10() ? response.withProtocol(HttpProtocols.HTTP_1_0) : response);
      if (over) {
        responseOver();
      }
    }

    private Source<ByteString, ?> openBody() {
      SubSourceOutlet<ByteString> out = new SubSourceOutlet<>("DynoWire.responseBody");
      body = out;
      out.setHandler(new AbstractOutHandler() {
        @Override
        public void onPull() {
          read();
        }

        @Override
        public void onDownstreamFinish(Throwable cause) {
          // the body is not wanted any more (its client left): the rest of it is not worth reading
          if (body == out) {
            body = null;
            listener.closing();
            completeStage();
          }
        }
      });
      return Source.fromGraph(out.source());
    }

    /** Passes on what is here of the body, when the body's reader asked for more. */
    private void readBody() {
      SubSourceOutlet<ByteString> out = body;
      if (!out.isAvailable()) {
        return;
      }
      if (buffered.isEmpty()) {
        if (!dynoDone) {
          pullFromDyno();
        } else if (chunks == null && bodyLeft < 0) {
          bodyOver(); // the connection's end is the body's
        } else {
          throw new BrokenBody("the dyno closed the connection before the end of the body");
        }
        return;
      }
      ByteString data;
      boolean done;
      if (chunks != null) {
        data = chunks.decode(buffered);
        buffered = chunks.rest();
        done = chunks.done();
      } else if (bodyLeft >= 0) {
        int take = (int) Math.min(bodyLeft, buffered.length());
        data = buffered.take(take);
        buffered = buffered.drop(take);
        bodyLeft -= take;
        done = bodyLeft == 0;
      } else {
        data = buffered;
        buffered = ByteString.emptyByteString();
        done = false;
      }
      if (done) {
        if (!data.isEmpty()) {
          out.push(data);
        }
        bodyOver();
      } else if (!data.isEmpty()) {
        out.push(data);
      } else {
        pullFromDyno();
      }
    }

    private void bodyOver() {
      SubSourceOutlet<ByteString> out = body;
      body = null;
      chunks = null;
      if (lastOnConnection()) {
        listener.closing(); // before the body's end reaches the relay, which then gives the connection back
      }
      out.complete();
      responseOver();
    }

    /**
     * No other request may follow on the connection: the dyno closes it, the request's body was not
     * all sent, the dyno sent more than the response, or the connection was told to close.
     */
    private boolean lastOnConnection() {
      return closeAfter || requestBody != null || dynoDone || !buffered.isEmpty() || requestsOver;
    }

    /** The response is over: the connection waits for the next request, or closes. */
    private void responseOver() {
      awaiting = false;
      if (lastOnConnection()) {
        listener.closing();
        buffered = ByteString.emptyByteString(); // what the dyno sent past its response is not read
        completeStage();
        return;
      }
      pullFromDyno();
    }
  }

  private static StatusCode status(int code, String reason) {
    return code == 200 ? StatusCodes.OK : StatusCodes.lookup(code).orElseGet(() -> StatusCodes.custom(code, reason, ""));
  }
}
