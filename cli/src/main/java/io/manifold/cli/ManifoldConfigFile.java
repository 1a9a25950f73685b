package io.manifold.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Where {@code manifold up} keeps the API's token and URL for the other commands:
 * {@code $XDG_CONFIG_HOME/manifold/config.json} (or {@code ~/.config/manifold/config.json}),
 * readable by its owner only. The token is made on the first start and kept, so that a restarted
 * manifold accepts the same token.
 */
final class ManifoldConfigFile {
  private final Path file;

  ManifoldConfigFile(Path file) {
    this.file = file;
  }

  static ManifoldConfigFile standard() {
    String xdg = System.getenv("XDG_CONFIG_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
    return new ManifoldConfigFile(base.resolve("manifold").resolve("config.json"));
  }

  Path path() {
    return file;
  }

  String token() {
    return read().hasPath("token") ? read().getString("token") : null;
  }

  String apiUrl() {
    return read().hasPath("api_url") ? read().getString("api_url") : null;
  }

  /** The kept token, or a new one written to the file first. */
  String tokenOrCreate(java.util.function.Supplier<String> newToken) {
    String token = token();
    if (token == null) {
      token = newToken.get();
      write(Map.of("token", token));
    }
    return token;
  }

  void write(Map<String, String> values) {
    Config next = read();
    for (Map.Entry<String, String> e : values.entrySet()) {
      next = next.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue()));
    }
    try {
      Path dir = file.getParent();
      Files.createDirectories(dir);
      trySetPermissions(dir, "rwx------");
      Path tmp = Files.createTempFile(dir, "config", ".tmp");
      trySetPermissions(tmp, "rw-------");
      Files.writeString(tmp, next.root().render(ConfigRenderOptions.concise().setFormatted(true).setJson(true)), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private Config read() {
    if (!Files.isRegularFile(file)) {
      return ConfigFactory.empty();
    }
    return ConfigFactory.parseFile(file.toFile());
  }

  private static void trySetPermissions(Path p, String perms) throws IOException {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    } catch (UnsupportedOperationException notPosix) {
      // on a file system without POSIX permissions the file is as private as its directory
    }
  }
}
