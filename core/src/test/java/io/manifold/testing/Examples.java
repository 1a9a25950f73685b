package io.manifold.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository's example apps are, for tests in any module. */
public final class Examples {
  private Examples() {}

  public static Path repo() {
    String fromBuild = System.getProperty("manifold.repo");
    if (fromBuild != null && Files.isDirectory(Path.of(fromBuild, "examples"))) {
      return Path.of(fromBuild);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("examples")) && Files.exists(p.resolve("mvnw"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the repository's examples/ directory");
  }

  /** The example app: a web process (single-file Java) and a worker. */
  public static Path hello() {
    return repo().resolve("examples").resolve("hello");
  }
}
