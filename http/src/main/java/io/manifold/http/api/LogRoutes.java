package io.manifold.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.manifold.core.app.AppHandle;
import io.manifold.core.logs.LogChannel;
import io.manifold.core.logs.LogFilter;
import io.manifold.core.logs.LogLine;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;

/**
 * {@code POST /apps/{app}/log-sessions} and the stream at the session's {@code logplex_url}:
 * server-sent events, one log line each, with the line's sequence number as the event id. Without
 * {@code tail} the stream ends after the lines asked for; with it, it stays open (an SSE comment
 * every heartbeat), and a client that reconnects with {@code Last-Event-ID} gets only what it
 * missed.
 */
final class LogRoutes extends Routes {
  /** Events a slow client may have queued before its tail stops taking lines. */
  private static final int STREAM_BUFFER = 256;

  LogRoutes(ApiContext ctx) {
    super(ctx);
  }

  Route sessions(String app) {
    return post(() -> withObject(body -> ctx.app(app).thenApply(h -> {
      LogFilter filter = filter(body);
      Integer lines = Json.integer(body, "lines");
      int n = lines == null ? 100 : lines;
      if (n < 0 || n > 1_500) {
        throw ApiError.invalidParams("'lines' must be between 0 and 1500 (Logplex keeps 1,500), not " + n);
      }
      boolean tail = Boolean.TRUE.equals(Json.bool(body, "tail"));
      LogSessions.Session s = ctx.logSessions.create(h.name(), filter, n, tail);
      if (s == null) {
        throw new ApiError(503, "service_unavailable", "too many log sessions are open; try again in a while");
      }
      String now = Json.time(s.createdAt());
      return ApiContext.json(201, Json.object().put("created_at", now).put("id", s.id())
          .put("logplex_url", ctx.logSessions.url(s)).put("updated_at", now));
    })));
  }

  /** {@code GET /log-sessions/{id}?srv=...}: authorised by the URL, not by a token. */
  Route stream(String id) {
    return get(() -> parameterOptional("srv", srv -> optionalHeaderValueByName("Last-Event-ID", lastEventId -> {
      LogSessions.Session s = ctx.logSessions.open(id, srv.orElse(null));
      if (s == null) {
        // the CLI then says "Log stream timed out. Please try again." and exits 1
        return complete(ApiContext.error(404, "not_found", "Couldn't find that log session; it may have expired."));
      }
      return onSuccess(ctx.app(s.app()).toCompletableFuture().exceptionally(e -> null), h -> {
        if (h == null) {
          return complete(ApiContext.error(404, "not_found", "Couldn't find that app."));
        }
        long after = lastEventId.map(LogRoutes::seq).orElse(-1L);
        return completeOK(events(h, s, after), EventStreamMarshalling.toEventStream());
      });
    })));
  }

  private Source<ServerSentEvent, NotUsed> events(AppHandle h, LogSessions.Session s, long afterSeq) {
    if (!s.tail()) {
      return Source.completionStage(ctx.<LogChannel.Command, LogChannel.Lines>ask(h.logs(), r -> new LogChannel.Fetch(s.filter(), s.lines(), r)))
          .mapConcat(lines -> lines.entries())
          .map(LogRoutes::event);
    }
    int backlog = afterSeq >= 0 ? 1_500 : s.lines();
    return Source.<ServerSentEvent>queue(STREAM_BUFFER, OverflowStrategy.backpressure())
        .mapMaterializedValue(queue -> {
          startSubscriber(queue, h, s, backlog, afterSeq);
          return NotUsed.getInstance();
        })
        .keepAlive(ctx.settings.logHeartbeat(), ServerSentEvent::heartbeat);
  }

  private void startSubscriber(SourceQueueWithComplete<ServerSentEvent> queue, AppHandle h, LogSessions.Session s, int lines, long afterSeq) {
    var subscriber = ctx.system.systemActorOf(
        LogStreamSubscriber.create(queue, h.logs(), s.filter(), lines, afterSeq), "log-stream-" + UUID.randomUUID(), Props.empty());
    // the client went away: stopping the subscriber ends its tail
    queue.watchCompletion().whenComplete((done, failure) -> ctx.system.classicSystem().stop(
        org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(subscriber)));
  }

  static ServerSentEvent event(LogChannel.Entry e) {
    return ServerSentEvent.create(e.line().format(), Optional.empty(), Optional.of(Long.toString(e.seq())), OptionalInt.empty());
  }

  private static long seq(String lastEventId) {
    try {
      return Long.parseLong(lastEventId.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** {@code source}, and {@code dyno} (what the CLI sends), {@code dyno_name} (the schema) or {@code type}. */
  private static LogFilter filter(JsonNode body) {
    String source = Json.text(body, "source");
    if (source != null && !source.equals(LogLine.APP) && !source.equals(LogLine.HEROKU)) {
      throw ApiError.invalidParams("'source' must be app or heroku, not '" + source + "'");
    }
    String dyno = Json.text(body, "dyno");
    if (dyno == null) {
      dyno = Json.text(body, "dyno_name");
    }
    if (dyno == null) {
      dyno = Json.text(body, "type");
    }
    return new LogFilter(source, dyno);
  }
}
