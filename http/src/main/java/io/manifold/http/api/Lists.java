package io.manifold.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/** Answers for list endpoints: a page per the request's {@code Range}, 206 when more follows. */
final class Lists {
  HttpResponse page(HttpRequest request, List<String> fields, List<JsonNode> all) {
    RangeRequest range = RangeRequest.parse(request.getHeader("Range").map(h -> h.value()).orElse(null), fields);
    RangeRequest.Page page = range.page(all);
    ArrayNode body = Json.array();
    page.items().forEach(body::add);
    HttpResponse r = ApiContext.json(page.nextRange() == null ? 200 : 206, body);
    r = ApiContext.withHeader(r, "Accept-Ranges", String.join(", ", fields));
    if (page.contentRange() != null) {
      r = ApiContext.withHeader(r, "Content-Range", page.contentRange());
    }
    if (page.nextRange() != null) {
      r = ApiContext.withHeader(r, "Next-Range", page.nextRange());
    }
    return r;
  }
}
