package io.manifold.cli;

import io.manifold.core.InputException;
import java.net.URI;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * Where the Platform API is and the token for it, on every command that calls it: the flags,
 * else {@code MANIFOLD_API_URL} and {@code MANIFOLD_API_TOKEN}, else what {@code manifold up}
 * wrote to its config file. Without any URL, the one {@code manifold up} serves by default.
 */
final class ApiOptions {
  static final String DEFAULT_URL = "http://127.0.0.1:5555";

  @Option(names = "--api", paramLabel = "URL",
      description = "The Platform API's URL, e.g. http://127.0.0.1:5555 (default: $MANIFOLD_API_URL, else the one `manifold up` wrote down).")
  String url;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "The API's token (default: $MANIFOLD_API_TOKEN, else the one `manifold up` keeps).")
  String token;

  record Endpoint(URI url, String token) {}

  PlatformClient client() {
    Endpoint e = resolve(url, token, System::getenv, ManifoldConfigFile.standard());
    return new PlatformClient(e.url(), e.token());
  }

  /** Each of the URL and the token from the first place that has it: flag, environment, config file. */
  static Endpoint resolve(String flagUrl, String flagToken, Function<String, String> env, ManifoldConfigFile file) {
    String url = first(flagUrl, env.apply("MANIFOLD_API_URL"), file.apiUrl());
    String token = first(flagToken, env.apply("MANIFOLD_API_TOKEN"), file.token());
    String place = flagUrl != null ? "--api" : env.apply("MANIFOLD_API_URL") != null ? "MANIFOLD_API_URL" : file.path().toString();
    URI uri = checked(url == null ? DEFAULT_URL : url, place);
    if (token == null) {
      throw new InputException("--token", "no API token: give --token or set MANIFOLD_API_TOKEN, or start a manifold with"
          + " ./manifold up, which keeps its token in " + file.path());
    }
    return new Endpoint(uri, token);
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v.strip();
      }
    }
    return null;
  }

  /** {@code http(s)://host[:port]}: the API's paths start at the root, as Heroku's do. */
  private static URI checked(String url, String place) {
    String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    try {
      URI uri = URI.create(trimmed);
      if ((uri.getScheme() == null || !uri.getScheme().matches("https?")) || uri.getHost() == null
          || (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null) {
        throw new IllegalArgumentException("not http(s)://host[:port]");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new InputException(place, "expected the API's URL, such as " + DEFAULT_URL + ", but found '" + url + "'");
    }
  }
}
