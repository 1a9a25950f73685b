package io.manifold.http.api;

import io.manifold.core.InputException;
import io.manifold.core.app.Slug;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Where Manifold's builds take their code from: Heroku builds fetch a tarball from
 * {@code source_blob.url}; Manifold runs an app from a directory on this machine, named by a
 * {@code file://} URL or an absolute path.
 */
final class Builds {
  private Builds() {}

  static Slug slugFrom(String url, Instant at) {
    Path dir;
    try {
      dir = url.startsWith("file:") ? Path.of(URI.create(url)) : Path.of(url);
    } catch (RuntimeException e) {
      throw ApiError.invalidParams("source_blob.url must be a file:// URL or an absolute path of a directory on this machine, not '" + url + "'");
    }
    if (!dir.isAbsolute() || !Files.isDirectory(dir)) {
      throw ApiError.invalidParams("source_blob.url must name a directory on this machine (file:///path/to/app), and '" + url + "' does not");
    }
    try {
      return Slug.fromDirectory(dir, at);
    } catch (InputException e) {
      throw ApiError.invalidParams(e.getMessage());
    }
  }
}
