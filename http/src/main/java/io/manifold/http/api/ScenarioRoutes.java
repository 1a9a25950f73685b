package io.manifold.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The scenario runner's runs, for the console: {@code GET /manifold/scenarios} lists them with a
 * link to each HTML report, {@code GET /manifold/scenarios/live} is the run going on now
 * ({@code {"running": false}} when none), and {@code GET /manifold/scenarios/{run}/report.html}
 * serves a report to a plain link, authorised by a signature in the link (as a log session's URL
 * is) rather than by a token the browser would have to attach.
 */
final class ScenarioRoutes extends Routes {
  /**
   * A report is the runner's HTML, possibly with its own inline script and style: it runs
   * sandboxed (an origin of its own, so it cannot read the console's token) and loads nothing.
   */
  static final String REPORT_POLICY =
      "sandbox allow-scripts; default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

  private final ScenarioReports reports;
  private final UrlSigner signer;
  private final Executor blocking;

  ScenarioRoutes(ApiContext ctx) {
    super(ctx);
    this.reports = ctx.settings.scenarioReports() == null ? null : new ScenarioReports(ctx.settings.scenarioReports(), Clock.systemUTC());
    this.signer = new UrlSigner(ctx.settings.token());
    this.blocking = ctx.system.dispatchers().lookup(DispatcherSelector.blocking());
  }

  Route list() {
    return get(() -> answer(() -> read(() -> {
      ObjectNode o = Json.object().put("reports_dir", reports == null ? null : reports.dir().toString());
      ArrayNode runs = Json.array();
      for (ScenarioReports.Run run : reports == null ? List.<ScenarioReports.Run>of() : reports.runs()) {
        runs.add(run(run));
      }
      o.set("runs", runs);
      return ApiContext.json(200, o);
    })));
  }

  Route live() {
    return get(() -> answer(() -> read(() -> {
      Optional<ScenarioReports.Live> live = reports == null ? Optional.empty() : reports.live();
      if (live.isEmpty()) {
        return ApiContext.json(200, Json.object().put("running", false));
      }
      ObjectNode o = Json.object().put("running", true).put("run", live.get().run()).put("problem", live.get().problem());
      o.set("live", live.get().json());
      return ApiContext.json(200, o);
    })));
  }

  /** Outside the token check: the link's {@code sig} is the credential. */
  Route page(String run) {
    return get(() -> parameterOptional("sig", sig -> {
      if (!ScenarioReports.validId(run) || !signer.verify(what(run), sig.orElse(null)) || reports == null) {
        return complete(ApiContext.error(404, "not_found", "Couldn't find that scenario report; its link may be from another manifold."));
      }
      return onSuccess(CompletableFuture.supplyAsync(() -> {
        try {
          return reports.page(run);
        } catch (IOException e) {
          return Optional.<java.nio.file.Path>empty();
        }
      }, blocking), page -> page.isEmpty()
          ? complete(ApiContext.error(404, "not_found", "Couldn't find that scenario report."))
          : respondWithHeaders(List.of(RawHeader.create("Content-Security-Policy", REPORT_POLICY),
              RawHeader.create("X-Content-Type-Options", "nosniff"), RawHeader.create("Referrer-Policy", "no-referrer")),
              () -> getFromFile(page.get().toFile(), ContentTypes.TEXT_HTML_UTF8)));
    }));
  }

  private ObjectNode run(ScenarioReports.Run run) {
    JsonNode r = run.report();
    ObjectNode o = Json.object().put("id", run.id()).put("started_at", run.when().toString());
    for (String field : List.of("scenario", "finished_at", "outcome", "summary")) {
      o.put(field, r != null && r.path(field).isValueNode() && !r.path(field).isNull() ? r.path(field).asText() : null);
    }
    o.put("state", r != null ? "finished" : run.problem() != null ? "unreadable" : "no report yet");
    o.put("problem", run.problem());
    o.put("report_url", run.hasPage()
        ? "/manifold/scenarios/" + URLEncoder.encode(run.id(), StandardCharsets.UTF_8) + "/report.html?sig=" + signer.sign(what(run.id()))
        : null);
    return o;
  }

  private static String what(String run) {
    return "scenario-report:" + run;
  }

  private interface FileWork<T> {
    T run() throws IOException;
  }

  /** Runs file work on the dispatcher for blocking work, never on the one that serves requests. */
  private <T> CompletableFuture<T> read(FileWork<T> work) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return work.run();
      } catch (IOException e) {
        throw new UncheckedIOException("the scenario reports in " + reports.dir() + " could not be read: " + e.getMessage(), e);
      }
    }, blocking);
  }
}
