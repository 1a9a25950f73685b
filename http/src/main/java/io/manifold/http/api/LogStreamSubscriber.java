package io.manifold.http.api;

import io.manifold.core.logs.LogChannel;
import io.manifold.core.logs.LogFilter;
import io.manifold.core.logs.TailSession;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;

/**
 * Feeds a live tail into an HTTP event stream. It takes the next batch from the channel's
 * {@link TailSession} only once the stream's queue has taken the last one, so a slow client slows
 * only its own tail (which then drops lines, with L11), never the channel. It stops when the
 * stream is gone, which ends the tail.
 */
final class LogStreamSubscriber {
  interface Message extends NoSerializationVerificationNeeded {}

  private record FromTail(TailSession.Event event) implements Message {}

  private record Offered(boolean open, ActorRef<TailSession.Command> ackTo) implements Message {}

  private LogStreamSubscriber() {}

  static Behavior<Message> create(
      SourceQueueWithComplete<ServerSentEvent> queue, RecipientRef<LogChannel.Command> logs, LogFilter filter, int lines, long afterSeq) {
    return Behaviors.setup(ctx -> {
      logs.tell(new LogChannel.Tail(filter, lines, afterSeq, ctx.messageAdapter(TailSession.Event.class, FromTail::new)));
      return Behaviors.receive(Message.class)
          .onMessage(FromTail.class, m -> {
            if (m.event() instanceof TailSession.Batch batch) {
              CompletionStage<Boolean> offered = CompletableFuture.completedFuture(true);
              for (LogChannel.Entry e : batch.entries()) {
                ServerSentEvent event = LogRoutes.event(e);
                offered = offered.thenCompose(open -> open
                    ? queue.offer(event).thenApply(r -> r == QueueOfferResult.enqueued())
                    : CompletableFuture.completedFuture(false));
              }
              ctx.pipeToSelf(offered, (open, failure) -> new Offered(failure == null && open, batch.ackTo()));
              return Behaviors.same();
            }
            TailSession.Refused refused = (TailSession.Refused) m.event();
            queue.offer(ServerSentEvent.create("manifold: " + refused.reason()));
            queue.complete();
            return Behaviors.stopped();
          })
          .onMessage(Offered.class, o -> {
            if (!o.open()) {
              return Behaviors.stopped();
            }
            o.ackTo().tell(TailSession.Ack.INSTANCE);
            return Behaviors.same();
          })
          .build();
    });
  }
}
