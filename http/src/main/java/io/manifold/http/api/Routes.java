package io.manifold.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/** The base of the API's route classes: the context, and answering with a handler's stage. */
abstract class Routes extends AllDirectives {
  final ApiContext ctx;

  Routes(ApiContext ctx) {
    this.ctx = ctx;
  }

  /** Completes with the handler's response; its failures become Heroku's error bodies. */
  Route answer(Supplier<CompletionStage<HttpResponse>> handler) {
    return completeWithFuture(ApiContext.safely(handler));
  }

  /** Reads the JSON body (bounded by the server's size limit), then answers with the handler. */
  Route withBody(Function<JsonNode, CompletionStage<HttpResponse>> handler) {
    return entity(Unmarshaller.entityToString(), text -> answer(() -> handler.apply(Json.parse(text))));
  }

  /** Same, for bodies that must be JSON objects. */
  Route withObject(Function<JsonNode, CompletionStage<HttpResponse>> handler) {
    return entity(Unmarshaller.entityToString(), text -> answer(() -> handler.apply(Json.parseObject(text))));
  }
}
