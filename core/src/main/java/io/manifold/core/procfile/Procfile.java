package io.manifold.core.procfile;

import io.manifold.core.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An app's Procfile, parsed by Heroku's rules: one {@code <process type>: <command>} per line,
 * blank lines and {@code #} comments allowed, type names of letters, digits, {@code _} and
 * {@code -}. As on Heroku, a type defined twice keeps its last command and earns a warning.
 * Anything else is an {@link InputException} naming the file and line.
 */
public final class Procfile {
  /** Bounded so that a runaway file cannot become a runaway formation. */
  public static final int MAX_PROCESS_TYPES = 100;
  private static final long MAX_BYTES = 1 << 20;

  private static final Pattern LINE = Pattern.compile("^\\s*([^:\\s]*)\\s*:(.*)$");

  private final String source;
  private final Map<String, ProcessType> types;
  private final List<String> warnings;

  private Procfile(String source, Map<String, ProcessType> types, List<String> warnings) {
    this.source = source;
    this.types = Collections.unmodifiableMap(types);
    this.warnings = List.copyOf(warnings);
  }

  /** Reads {@code dir/Procfile}. */
  public static Procfile read(Path dir) {
    Path file = dir.resolve("Procfile");
    String place = file.toString();
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new InputException(place, "expected a Procfile of at most 1 MiB");
      }
      return parse(place, Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new InputException(place, "no Procfile here; expected a file named Procfile with lines such as 'web: java Web.java'");
    } catch (IOException e) {
      throw new InputException(place, "cannot read the Procfile: " + e.getMessage());
    }
  }

  /**
   * Parses Procfile text; {@code source} names it in errors (a path, or any label).
   *
   * @throws InputException for the first bad line, as {@code source:line: what was expected}
   */
  public static Procfile parse(String source, String text) {
    Map<String, ProcessType> types = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String place = source + ":" + (i + 1);
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new InputException(place, "expected '<process type>: <command>' but found '" + abbreviate(trimmed) + "'");
      }
      String name = m.group(1);
      String command = m.group(2).strip();
      if (name.isEmpty()) {
        throw new InputException(place, "expected a process type name before ':' but found '" + abbreviate(trimmed) + "'");
      }
      if (!ProcessType.NAME.matcher(name).matches()) {
        throw new InputException(place, "expected a process type name of letters, digits, '_' and '-' (at most 128) but found '" + abbreviate(name) + "'");
      }
      if (command.isEmpty()) {
        throw new InputException(place, "expected a command after '" + name + ":'");
      }
      if (types.containsKey(name)) {
        warnings.add(place + ": process type '" + name + "' is defined again; the last definition wins, as on Heroku");
        types.remove(name);
      }
      types.put(name, new ProcessType(name, command));
      if (types.size() > MAX_PROCESS_TYPES) {
        throw new InputException(place, "expected at most " + MAX_PROCESS_TYPES + " process types");
      }
    }
    return new Procfile(source, types, warnings);
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  /** Where this Procfile came from. */
  public String source() {
    return source;
  }

  /** The process types, in the order of the file. */
  public List<ProcessType> processTypes() {
    return List.copyOf(types.values());
  }

  public Optional<ProcessType> processType(String name) {
    return Optional.ofNullable(types.get(name));
  }

  /** Notes on lines that were accepted but probably not meant, with their places. */
  public List<String> warnings() {
    return warnings;
  }
}
