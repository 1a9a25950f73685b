package io.manifold.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * One client connection's requests, between Pekko HTTP's server layer and the {@link Proxy}: each
 * request is handled in turn and its answer passed back, one at a time. One more request is read
 * ahead while one is handled, so that a client that closes its connection while its request
 * waits is seen at once ({@link ClientConnection#requestsEnded}: H27, and its slot back), and the
 * connection's end lets go of whatever still holds its request ({@link ClientConnection#closed}).
 *
 * <p>One stage for what was four (a termination watch on each side, a one-element buffer and
 * {@code mapAsync(1)}): every element and signal crossed each of them, on every request.
 */
final class ClientRequests extends GraphStage<FlowShape<HttpRequest, HttpResponse>> {
  private final Inlet<HttpRequest> in = Inlet.create("ClientRequests.in");
  private final Outlet<HttpResponse> out = Outlet.create("ClientRequests.out");
  private final FlowShape<HttpRequest, HttpResponse> shape = FlowShape.of(in, out);
  private final Proxy proxy;

  ClientRequests(Proxy proxy) {
    this.proxy = proxy;
  }

  @Override
  public FlowShape<HttpRequest, HttpResponse> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new Logic();
  }

  private final class Logic extends GraphStageLogic {
    private final ClientConnection connection = new ClientConnection();
    /** The request read ahead, waiting for the one being handled. */
    private HttpRequest next;
    /** A request is being handled: its answer has not been passed on yet. */
    private boolean handling;
    private boolean requestsEnded;
    private final AsyncCallback<Object> answered = createAsyncCallback(this::answer);

    Logic() {
      super(shape);
      setHandler(in, new AbstractInHandler() {
        @Override
        public void onPush() {
          HttpRequest request = grab(in);
          if (handling) {
            next = request;
          } else {
            handle(request);
            pull(in);
          }
        }

        @Override
        public void onUpstreamFinish() {
          endRequests();
          if (!handling && next == null) {
            completeStage();
          }
        }

        @Override
        public void onUpstreamFailure(Throwable ex) {
          endRequests();
          failStage(ex);
        }
      });
      setHandler(out, new AbstractOutHandler() {
        @Override
        public void onPull() {
          // an answer is pushed when it comes; Pekko's server pulls before each request
        }

        @Override
        public void onDownstreamFinish(Throwable cause) {
          endRequests();
          cancelStage(cause);
        }
      });
    }

    @Override
    public void preStart() {
      proxy.timeouts.opened(connection);
      pull(in);
    }

    private void handle(HttpRequest request) {
      handling = true;
      CompletionStage<HttpResponse> answer = proxy.handle(request, connection);
      CompletableFuture<HttpResponse> f = answer.toCompletableFuture();
      if (f.isDone()) {
        answer(f.handle((r, failure) -> failure != null ? failure : r).join()); // an answer of the router's own, at once
      } else {
        f.whenComplete((r, failure) -> answered.invoke(failure != null ? failure : r));
      }
    }

    private void answer(Object result) {
      if (result instanceof Throwable failure) {
        failStage(failure);
        return;
      }
      handling = false;
      emit(out, (HttpResponse) result);
      HttpRequest waiting = next;
      if (waiting != null) {
        next = null;
        handle(waiting);
        if (!isClosed(in)) {
          pull(in);
        }
      } else if (isClosed(in)) {
        completeStage(); // the last request was answered (emit completes after the answer went out)
      }
    }

    /** No more requests will come on the connection (once: watched as Pekko's stream had it). */
    private void endRequests() {
      if (!requestsEnded) {
        requestsEnded = true;
        connection.requestsEnded();
      }
    }

    @Override
    public void postStop() {
      endRequests();
      proxy.timeouts.closed(connection);
      connection.closed();
    }
  }
}
