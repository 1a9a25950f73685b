package io.manifold.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The scenario runner's runs, as it leaves them in its reports directory: one directory per run
 * holding {@code report.json} and {@code report.html} once the run is over, and {@code live.json}
 * (rewritten about every second) while it goes on. Everything here reads files: callers run it on
 * a dispatcher for blocking work.
 *
 * <p>Bounded: at most {@link #MAX_SCANNED} directories are looked at, {@link #MAX_RUNS} listed, and
 * no JSON file over {@link #MAX_JSON_BYTES} is read. A run whose {@code report.json} cannot be read
 * is listed with the problem rather than hidden.
 */
final class ScenarioReports {
  static final int MAX_SCANNED = 1_000;
  static final int MAX_RUNS = 200;
  static final long MAX_JSON_BYTES = 1 << 20;
  /** A live.json older than this belongs to a runner that stopped without saying so. */
  static final Duration LIVE_STALE = Duration.ofSeconds(10);
  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /**
   * One run. {@code report} is its {@code report.json} (null while it runs, or when it could not be
   * read: then {@code problem} says why).
   */
  record Run(String id, Instant when, JsonNode report, String problem, boolean hasPage) {}

  private record Cached(FileTime modified, long size, JsonNode json, String problem) {}

  private final Path dir;
  private final Clock clock;
  private final Map<Path, Cached> reports = new ConcurrentHashMap<>();

  ScenarioReports(Path dir, Clock clock) {
    this.dir = dir;
    this.clock = clock;
  }

  Path dir() {
    return dir;
  }

  static boolean validId(String run) {
    return run != null && RUN_ID.matcher(run).matches();
  }

  /** The runs, newest first (by {@code started_at}, else the directory's time). */
  List<Run> runs() throws IOException {
    List<Run> runs = new ArrayList<>();
    Set<Path> seen = new HashSet<>();
    for (Path run : runDirectories()) {
      Path json = run.resolve("report.json");
      seen.add(json);
      try {
        Cached report = Files.isRegularFile(json) ? report(json) : null;
        Instant when = startedAt(report == null ? null : report.json())
            .orElse(Files.getLastModifiedTime(run).toInstant());
        runs.add(new Run(run.getFileName().toString(), when, report == null ? null : report.json(),
            report == null ? null : report.problem(), Files.isRegularFile(run.resolve("report.html"))));
      } catch (IOException goneMeanwhile) {
        // the run was removed while we looked: it is simply not listed
      }
    }
    reports.keySet().retainAll(seen); // the cache holds no more than the listing
    runs.sort(Comparator.comparing(Run::when).reversed());
    return runs.size() > MAX_RUNS ? List.copyOf(runs.subList(0, MAX_RUNS)) : runs;
  }

  /** The {@code live.json} of the run going on now (the freshest one, if several), if any. */
  Optional<Live> live() throws IOException {
    Path newest = null;
    FileTime newestTime = null;
    for (Path run : runDirectories()) {
      Path live = run.resolve("live.json");
      if (Files.isRegularFile(live, LinkOption.NOFOLLOW_LINKS)) {
        FileTime t = Files.getLastModifiedTime(live);
        if (newestTime == null || t.compareTo(newestTime) > 0) {
          newest = live;
          newestTime = t;
        }
      }
    }
    if (newest == null || newestTime.toInstant().isBefore(clock.instant().minus(LIVE_STALE))) {
      return Optional.empty();
    }
    String run = newest.getParent().getFileName().toString();
    JsonNode json;
    try {
      json = readJson(newest);
    } catch (ApiError e) {
      return Optional.of(new Live(run, null, e.getMessage()));
    }
    if (!json.isObject()) {
      return Optional.of(new Live(run, null, "live.json is not a JSON object"));
    }
    return "running".equals(json.path("state").asText()) ? Optional.of(new Live(run, json, null)) : Optional.empty();
  }

  /** What {@link #live()} found: the run's directory name and its live.json, or why it could not be read. */
  record Live(String run, JsonNode json, String problem) {}

  /** The run's {@code report.html}, if the run exists and has one inside the reports directory. */
  Optional<Path> page(String run) throws IOException {
    if (!validId(run) || !Files.isDirectory(dir)) {
      return Optional.empty();
    }
    Path page = dir.resolve(run).resolve("report.html");
    if (!Files.isRegularFile(page)) {
      return Optional.empty();
    }
    // a symbolic link may point anywhere: serve only what really lies under the reports directory
    Path real = page.toRealPath();
    return real.startsWith(dir.toRealPath()) ? Optional.of(real) : Optional.empty();
  }

  private List<Path> runDirectories() throws IOException {
    List<Path> runs = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return runs;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        if (runs.size() >= MAX_SCANNED) {
          break;
        }
        if (validId(p.getFileName().toString()) && Files.readAttributes(p, BasicFileAttributes.class).isDirectory()) {
          runs.add(p);
        }
      }
    }
    return runs;
  }

  private Cached report(Path json) throws IOException {
    BasicFileAttributes attrs = Files.readAttributes(json, BasicFileAttributes.class);
    Cached c = reports.get(json);
    if (c != null && c.modified().equals(attrs.lastModifiedTime()) && c.size() == attrs.size()) {
      return c;
    }
    try {
      JsonNode node = readJson(json);
      c = node.isObject() ? new Cached(attrs.lastModifiedTime(), attrs.size(), node, null)
          : new Cached(attrs.lastModifiedTime(), attrs.size(), null, "report.json is not a JSON object");
    } catch (ApiError e) { // told to the person, beside the run
      c = new Cached(attrs.lastModifiedTime(), attrs.size(), null, e.getMessage());
    }
    reports.put(json, c);
    return c;
  }

  private static JsonNode readJson(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_JSON_BYTES) {
      throw ApiError.badRequest(file.getFileName() + " is larger than " + MAX_JSON_BYTES / 1024 + " KiB (" + size + " bytes)");
    }
    try {
      return Json.parse(Files.readString(file));
    } catch (ApiError e) {
      throw ApiError.badRequest(file.getFileName() + " is not valid JSON: " + e.getMessage());
    }
  }

  private static Optional<Instant> startedAt(JsonNode report) {
    if (report == null || !report.path("started_at").isTextual()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(report.path("started_at").asText()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
