package io.manifold.http.api;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.manifold.http.console.ConsoleAssets;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.Rejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;

/**
 * The whole Platform API: the resources' routes behind what every request goes through —
 * a {@code Request-Id}, the bearer token, the version 3 {@code Accept}, the rate limit, the body
 * size limit, and an {@code ETag} (and 304 on {@code If-None-Match}) for what a GET returns.
 */
public final class ApiRoutes extends Routes {
  private static final String VERSION_HINT = "Please specify a version along with Heroku's API MIME type."
      + " For example, `Accept: application/vnd.heroku+json; version=3`.";

  private final RateLimiter rateLimiter;
  private final Lists lists = new Lists();
  private final AppsRoutes apps;
  private final FormationRoutes formation;
  private final DynoRoutes dynos;
  private final ConfigRoutes config;
  private final ReleaseRoutes releases;
  private final BuildRoutes builds;
  private final DrainRoutes drains;
  private final LogRoutes logs;
  private final NodeRoutes nodes;
  private final RouterStatsRoutes routerStats;
  private final ScenarioRoutes scenarios;
  private final Route extra;

  /**
   * @param node what Manifold's own endpoints read beyond the apps
   * @param extra more routes behind the same checks (e.g. {@code /metrics}); may be null
   */
  ApiRoutes(ApiContext ctx, NodeInfo node, Route extra) {
    super(ctx);
    this.rateLimiter = new RateLimiter(ctx.settings.rateLimit());
    this.apps = new AppsRoutes(ctx, lists);
    this.formation = new FormationRoutes(ctx, lists);
    this.dynos = new DynoRoutes(ctx, lists);
    this.config = new ConfigRoutes(ctx);
    this.releases = new ReleaseRoutes(ctx, lists);
    this.builds = new BuildRoutes(ctx, lists);
    this.drains = new DrainRoutes(ctx, lists);
    this.logs = new LogRoutes(ctx);
    this.nodes = new NodeRoutes(ctx, node);
    this.routerStats = new RouterStatsRoutes(ctx, node);
    this.scenarios = new ScenarioRoutes(ctx);
    this.extra = extra;
  }

  Route route() {
    return extractRequest(req -> mapResponse(resp -> decorate(req, resp),
        () -> handleExceptions(errors(), () -> handleRejections(notFound(), () -> concat(
            // the console's own files hold no data; what they show comes through the checks below
            ConsoleAssets.route(),
            // these carry their credential in the URL, for clients that cannot send a header
            pathPrefix("log-sessions", () -> path(segment(), logs::stream)),
            path(segment("manifold").slash("scenarios").slash(segment()).slash("report.html"), scenarios::page),
            authorized(req, () -> versioned(req, () -> limited(() -> withSizeLimit(ctx.settings.maxBodyBytes(), this::resources)))))))));
  }

  private Route resources() {
    return concat(
        path("account", () -> get(() -> complete(ApiContext.json(200, ctx.resources.account())))),
        path("dyno-sizes", () -> get(() -> complete(ApiContext.json(200, ctx.resources.dynoSizes())))),
        pathPrefix("users", () -> pathPrefix(segment(), user -> path("apps", apps::collection))),
        pathPrefix("apps", () -> concat(
            pathEndOrSingleSlash(apps::collection),
            pathPrefix(segment(), app -> concat(
                pathEndOrSingleSlash(() -> apps.one(app)),
                pathPrefix("formation", () -> concat(
                    pathEndOrSingleSlash(() -> formation.collection(app)),
                    path(segment(), type -> formation.one(app, type)))),
                pathPrefix("formations", () -> pathPrefix(segment(), type -> concat(
                    pathEndOrSingleSlash(() -> dynos.restartType(app, type)),
                    path(segment("actions").slash("stop"), () -> dynos.stopType(app, type))))),
                pathPrefix("dynos", () -> concat(
                    pathEndOrSingleSlash(() -> dynos.collection(app)),
                    pathPrefix(segment(), dyno -> concat(
                        pathEndOrSingleSlash(() -> dynos.one(app, dyno)),
                        path(segment("actions").slash("stop"), () -> dynos.stopOne(app, dyno)))))),
                pathPrefix("config-vars", () -> pathEndOrSingleSlash(() -> config.current(app))),
                pathPrefix("releases", () -> concat(
                    pathEndOrSingleSlash(() -> releases.collection(app)),
                    pathPrefix(segment(), v -> concat(
                        pathEndOrSingleSlash(() -> releases.one(app, v)),
                        path("config-vars", () -> config.ofRelease(app, v)))))),
                pathPrefix("builds", () -> pathEndOrSingleSlash(() -> builds.collection(app))),
                pathPrefix("log-drains", () -> concat(
                    pathEndOrSingleSlash(() -> drains.collection(app)),
                    path(segment(), d -> drains.one(app, d)))),
                path("log-sessions", () -> logs.sessions(app)),
                // asked by heroku apps:info; Manifold has no add-ons and no collaborators
                path("addons", () -> get(() -> answer(() -> ctx.app(app).thenApply(h -> ApiContext.json(200, Json.array()))))),
                path("collaborators", () -> get(() -> answer(() -> ctx.app(app).thenApply(h -> ApiContext.json(200, Json.array()))))))))),
        // Manifold's own, beyond Heroku's API: what the web console reads
        pathPrefix("manifold", () -> concat(
            path("nodes", nodes::nodes),
            path(segment("apps").slash(segment()).slash("router-stats"), routerStats::stats),
            pathPrefix("scenarios", () -> concat(
                pathEndOrSingleSlash(scenarios::list),
                path("live", scenarios::live))))),
        extra == null ? reject() : extra);
  }

  /** Bearer token, or HTTP Basic with the token as the password (any user), as Heroku takes them. */
  private Route authorized(HttpRequest req, java.util.function.Supplier<Route> inner) {
    Optional<String> auth = req.getHeader("Authorization").map(h -> h.value());
    String given = null;
    if (auth.isPresent()) {
      String v = auth.get().strip();
      if (v.regionMatches(true, 0, "Bearer ", 0, 7)) {
        given = v.substring(7).strip();
      } else if (v.regionMatches(true, 0, "Basic ", 0, 6)) {
        try {
          String decoded = new String(Base64.getDecoder().decode(v.substring(6).strip()), StandardCharsets.UTF_8);
          given = decoded.substring(decoded.indexOf(':') + 1);
        } catch (IllegalArgumentException badBase64) {
          given = null;
        }
      }
    }
    if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), ctx.settings.token().getBytes(StandardCharsets.UTF_8))) {
      return complete(ApiContext.error(401, "unauthorized", "Invalid credentials provided."));
    }
    return inner.get();
  }

  /** {@code Accept: application/vnd.heroku+json; version=3}, or any {@code 3.*} variant the CLI sends. */
  private Route versioned(HttpRequest req, java.util.function.Supplier<Route> inner) {
    String accept = req.getHeader("Accept").map(h -> h.value()).orElse("");
    boolean ok = accept.contains("application/vnd.heroku+json") && accept.matches("(?s).*version\\s*=\\s*3(\\.[\\w-]+)?\\b.*");
    return ok ? inner.get() : complete(ApiContext.error(400, "bad_request", VERSION_HINT));
  }

  private Route limited(java.util.function.Supplier<Route> inner) {
    int left = rateLimiter.take();
    if (left < 0) {
      return complete(ApiContext.withHeader(ApiContext.error(429, "rate_limit",
          "Your account reached the API rate limit. Please wait a few minutes before making new requests"), "RateLimit-Remaining", "0"));
    }
    return mapResponse(r -> ApiContext.withHeader(r, "RateLimit-Remaining", Integer.toString(left)), inner);
  }

  /** Request-Id on every response; an ETag on every 200 to a GET, and 304 when the client has it. */
  private static HttpResponse decorate(HttpRequest req, HttpResponse resp) {
    HttpResponse r = resp.addHeader(RawHeader.create("Request-Id", UUID.randomUUID().toString()));
    if (req.method().value().equals("GET") && resp.status().intValue() == 200 && resp.entity() instanceof HttpEntity.Strict strict) {
      String etag = "\"" + sha1(strict.getData().toArray()) + "\"";
      if (req.getHeader("If-None-Match").map(h -> h.value().contains(etag)).orElse(false)) {
        return HttpResponse.create().withStatus(StatusCodes.NOT_MODIFIED).addHeaders(r.getHeaders()).addHeader(RawHeader.create("ETag", etag));
      }
      r = r.addHeader(RawHeader.create("ETag", etag));
    }
    return r;
  }

  private ExceptionHandler errors() {
    return ExceptionHandler.newBuilder()
        .match(EntityStreamSizeException.class, e -> complete(ApiContext.error(413, "bad_request",
            "The request body is too large: at most " + e.limit() + " bytes")))
        .match(ApiError.class, e -> complete(ApiContext.error(e.status, e.id, e.getMessage())))
        .matchAny(e -> complete(ApiContext.failure(e)))
        .build();
  }

  private RejectionHandler notFound() {
    Route notFound = complete(ApiContext.error(404, "not_found",
        "The requested API endpoint was not found. Are you using the right HTTP verb (i.e. `GET` vs. `POST`),"
            + " and did you specify your intended version with the `Accept` header?"));
    return RejectionHandler.newBuilder()
        .handle(MalformedRequestContentRejection.class, r -> r.getCause() instanceof EntityStreamSizeException e
            ? complete(ApiContext.error(413, "bad_request", "The request body is too large: at most " + e.limit() + " bytes"))
            : complete(ApiContext.error(400, "bad_request", "The request body could not be read: " + r.message())))
        .handleAll(Rejection.class, rejections -> notFound)
        .handleNotFound(notFound)
        .build();
  }

  private static String sha1(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
  }
}
