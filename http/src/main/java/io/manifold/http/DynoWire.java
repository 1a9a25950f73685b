package io.manifold.http;

import io.manifold.core.routing.HCode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpProtocols;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SubscriptionWithCancelException;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * The HTTP/1.1 of one keep-alive connection to a dyno, in place of Pekko HTTP's client layer:
 * requests in (their heads rendered already, {@link DynoRequest}), their bytes out to the dyno's socket; the dyno's bytes in, responses out. The
 * connection carries one request at a time (so there is no pipelining to keep in order), and a
 * proxy reads little of a response: its status line, the headers that frame its body, and the
 * rest raw. Pekko's client layer did the same work at about three times the cost per request
 * (its rendering built a copy of the head for every header line, and each request took several
 * stream stages and a source of its own), which was most of what the router added to a request.
 *
 * <p>Heroku's rules on a response are kept here: a status line without a reason phrase is H17
 * ({@link StatusLineCheck.MissingReasonPhrase}), an oversized status line or header H25
 * ({@link ResponseHead.Reader}), any other malformed head H17 ({@link BadResponse}); a body the
 * dyno cuts short or breaks fails the response's stream ({@link BrokenBody}: H18 downstream).
 * Interim responses (100 Continue) are read and dropped: the request's body goes out at once.
 *
 * <p>Before a response whose connection cannot carry another request is handed on, {@code closing}
 * is told (the dyno said {@code Connection: close}, the body ends with the connection, or the
 * request's body was not all sent), so that the connection is not given to the next request in
 * the moment before it closes.
 */
final class DynoWire extends GraphStage<BidiShape<DynoRequest, ByteString, ByteString, HttpResponse>> {

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

  private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};
  /** Content types by their header value, parsed once each; bound: 64, then the table starts over. */
  private static final Map<String, ContentType> CONTENT_TYPES = new ConcurrentHashMap<>();
  private static final int MAX_CONTENT_TYPES = 64;

  private final Inlet<DynoRequest> requestIn = Inlet.create("DynoWire.requests");
  private final Outlet<ByteString> bytesOut = Outlet.create("DynoWire.toDyno");
  private final Inlet<ByteString> bytesIn = Inlet.create("DynoWire.fromDyno");
  private final Outlet<HttpResponse> responseOut = Outlet.create("DynoWire.responses");
  private final BidiShape<DynoRequest, ByteString, ByteString, HttpResponse> shape =
      BidiShape.of(requestIn, bytesOut, bytesIn, responseOut);
  private final int maxStatusLine;
  private final int maxHeaderLine;
  private final Runnable closing;

  /**
   * @param closing told, before the response is handed on, that the connection closes after it
   */
  DynoWire(int maxStatusLine, int maxHeaderLine, Runnable closing) {
    this.maxStatusLine = maxStatusLine;
    this.maxHeaderLine = maxHeaderLine;
    this.closing = closing;
  }

  @Override
  public BidiShape<DynoRequest, ByteString, ByteString, HttpResponse> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new Logic();
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

    Logic() {
      super(shape);
      setHandler(requestIn, new AbstractInHandler() {
        @Override
        public void onPush() {
          send(grab(requestIn));
        }

        @Override
        public void onUpstreamFinish() {
          if (!awaiting) {
            completeStage();
          }
        }
      });
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
            failStage(new DynoConnections.ClosedWithoutResponse(null));
          } else {
            completeStage();
          }
        }

        @Override
        public void onUpstreamFailure(Throwable cause) {
          if (body != null) {
            body.fail(cause);
            body = null;
          }
          failStage(cause);
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
            failStage(cause);
          } else if (!awaiting) {
            completeStage();
          } // else the socket's reading side says how the exchange ends
        }
      });
      setHandler(responseOut, new AbstractOutHandler() {
        @Override
        public void onPull() {
          // responses are emitted as their heads are read
        }
      });
    }

    @Override
    public void preStart() {
      pull(requestIn);
      pull(bytesIn); // also while idle, to see the dyno close the connection
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
          failStage(cause); // the client broke its body off: the dyno cannot be told otherwise
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
              failStage(new DynoConnections.ClosedWithoutResponse(null));
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
        if (body != null) {
          body.fail(e);
          body = null;
        }
        failStage(e);
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
      ContentType type = contentType(head.contentType());
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
        closing.run(); // before the relay has the response, and gives the connection back
      }
      HttpResponse response = HttpResponse.create().withStatus(status(status, head.reason()))
          .withHeaders(head.headers()).withEntity(entity);
      emit(responseOut, head.http10() ? response.withProtocol(HttpProtocols.HTTP_1_0) : response);
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
            closing.run();
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
        closing.run(); // before the body's end reaches the relay, which then gives the connection back
      }
      out.complete();
      responseOver();
    }

    /**
     * No other request may follow on the connection: the dyno closes it, the request's body was not
     * all sent, the dyno sent more than the response, or the connection was told to close.
     */
    private boolean lastOnConnection() {
      return closeAfter || requestBody != null || dynoDone || !buffered.isEmpty() || isClosed(requestIn);
    }

    /** The response is over: the connection waits for the next request, or closes. */
    private void responseOver() {
      awaiting = false;
      if (lastOnConnection()) {
        closing.run();
        buffered = ByteString.emptyByteString(); // what the dyno sent past its response is not read
        completeStage();
        return;
      }
      pull(requestIn);
      pullFromDyno();
    }
  }

  private static StatusCode status(int code, String reason) {
    return code == 200 ? StatusCodes.OK : StatusCodes.lookup(code).orElseGet(() -> StatusCodes.custom(code, reason, ""));
  }

  private static ContentType contentType(String value) {
    if (value == null) {
      return ContentTypes.NO_CONTENT_TYPE;
    }
    ContentType known = CONTENT_TYPES.get(value);
    if (known == null) {
      try {
        known = ContentTypes.parse(value);
      } catch (RuntimeException e) {
        known = ContentTypes.APPLICATION_OCTET_STREAM; // as Pekko's parser took one it could not read
      }
      if (CONTENT_TYPES.size() >= MAX_CONTENT_TYPES) {
        CONTENT_TYPES.clear();
      }
      CONTENT_TYPES.put(value, known);
    }
    return known;
  }
}
