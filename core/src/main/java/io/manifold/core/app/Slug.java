package io.manifold.core.app;

import io.manifold.core.CborSerializable;
import io.manifold.core.procfile.ProcessType;
import io.manifold.core.procfile.Procfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An app's code, as a release runs it: on Heroku a compressed slug built from a push; here the
 * directory with the Procfile, and the process types read from it when it was deployed (a later
 * edit of the Procfile needs a new deploy, as on Heroku).
 *
 * @param id a content hash, whose first 7 characters name the deploy ({@code Deploy 1a2b3c4})
 * @param processTypes type to command, in the Procfile's order, {@code release} included
 */
public record Slug(String id, String dir, Map<String, String> processTypes) implements CborSerializable {
  public Slug {
    processTypes = Collections.unmodifiableMap(new LinkedHashMap<>(processTypes));
  }

  /** Reads the Procfile in {@code dir} (an {@link io.manifold.core.InputException} if it is bad). */
  public static Slug fromDirectory(Path dir, Instant at) {
    Path abs = dir.toAbsolutePath().normalize();
    Procfile procfile = Procfile.read(abs);
    Map<String, String> types = new LinkedHashMap<>();
    procfile.processTypes().forEach(t -> types.put(t.name(), t.command()));
    return new Slug(hash(abs + "\n" + types + "\n" + at), abs.toString(), types);
  }

  /** The process types that make up a formation ({@code release} runs once per release instead). */
  public Map<String, String> formationTypes() {
    Map<String, String> out = new LinkedHashMap<>(processTypes);
    out.remove(ProcessType.RELEASE);
    return out;
  }

  public String shortId() {
    return id.substring(0, 7);
  }

  private static String hash(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
  }
}
