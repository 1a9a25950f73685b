package io.manifold.scenarios.chaos.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.manifold.scenarios.chaos.Scenario;
import io.manifold.scenarios.chaos.run.ScenarioRunner;
import io.manifold.scenarios.chaos.run.ScenarioRunner.LiveState.FaultView;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console's live view of a scenario run reads {@code live.json} as this module's
 * {@link LiveReport} writes it. The console's script ({@code scenarios.js}, a resource of the http
 * module) declares in {@code LIVE_JSON} every field it reads with its JSON type; here a live.json
 * written by the real writer must have each of them, with that type, in every fault, point and
 * expectation, and the script must read exactly the fields it declares. A field renamed on either
 * side, or a new one read without being written, fails here rather than in a browser.
 */
class ConsoleLiveViewContractTest {
  static final String SCRIPT = "io/manifold/http/console/js/scenarios.js";
  /** How the script names what it reads: the run, a fault, a point and an expectation. */
  static final Map<String, String> VARIABLES = Map.of("live", "run", "f", "fault", "p", "point", "e", "expectation");
  /** Read by the API (it shows a run as going on only while this says so), not by the view. */
  static final Set<String> READ_BY_THE_API = Set.of("run.state");

  static String script() throws Exception {
    try (InputStream in = ConsoleLiveViewContractTest.class.getClassLoader().getResourceAsStream(SCRIPT)) {
      assertNotNull(in, SCRIPT + " on the classpath (the http module's resources)");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The object literal after {@code export const LIVE_JSON =}, to its matching brace. */
  static String declaration(String script) {
    int start = script.indexOf('{', script.indexOf("export const LIVE_JSON ="));
    assertTrue(start > 0, "scenarios.js declares LIVE_JSON");
    int depth = 0;
    for (int i = start; i < script.length(); i++) {
      char c = script.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return script.substring(start, i + 1);
      }
    }
    throw new AssertionError("LIVE_JSON is not closed");
  }

  /** section -> field -> its JSON types ({@code number|null}). */
  static Map<String, Map<String, String>> declared(String script) throws Exception {
    JsonMapper js = JsonMapper.builder().enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES, JsonReadFeature.ALLOW_SINGLE_QUOTES,
        JsonReadFeature.ALLOW_TRAILING_COMMA).build();
    Map<String, Map<String, String>> m = new TreeMap<>();
    js.readTree(declaration(script)).fields().forEachRemaining(section -> {
      Map<String, String> fields = new TreeMap<>();
      section.getValue().fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().asText()));
      m.put(section.getKey(), fields);
    });
    return m;
  }

  /** {@code section.field} for every field the script reads outside its declaration. */
  static Set<String> read(String script) {
    String code = script.replace(declaration(script), "{}").replaceAll("(?m)^\\s*(//|/\\*\\*|\\*).*$", "");
    Set<String> fields = new TreeSet<>();
    Matcher m = Pattern.compile("\\b(live|f|p|e)\\.([A-Za-z_]\\w*)").matcher(code);
    while (m.find()) {
      fields.add(VARIABLES.get(m.group(1)) + "." + m.group(2));
    }
    Matcher lines = Pattern.compile("\\bline\\('(\\w+)'\\)").matcher(code); // p[key] in the timeline's lines
    while (lines.find()) {
      fields.add("point." + lines.group(1));
    }
    return fields;
  }

  static JsonNode written(Path dir) throws Exception {
    Scenario s = Runs.scenario("node-loss-under-load");
    List<FaultView> faults = List.of(
        new FaultView(1, "kill-node", "kill node 2 at 20s for 15s", "node-2", 20.01, Double.NaN, null),
        new FaultView(2, "crash-dyno", "crash on shop/web.3 at 40s", "shop/web.3", 40.0, Double.NaN, null),
        new FaultView(3, "partition", "partition [1] | [2, 3] at 45s for 5s", "[1] | [2, 3]", 45.0, 50.0, null),
        new FaultView(4, "kill-node", "kill node 7 at 50s", "node-7", 50.0, Double.NaN, "could not apply it: no node 7"));
    String text = LiveReport.render(s, Runs.STARTED, "running", 52.4, 60, Runs.failed("x").series().subList(0, 52), faults,
        Map.of(1, "met", 4, "failed"));
    // as the runner leaves it on disk, where the API reads it
    Path file = dir.resolve(LiveReport.FILE);
    ReportFiles.writeAtomically(file, text);
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(file));
  }

  static boolean is(JsonNode value, String types) {
    for (String type : types.split("\\|")) {
      boolean ok = switch (type) {
        case "string" -> value.isTextual();
        case "number" -> value.isNumber();
        case "null" -> value.isNull();
        case "array" -> value.isArray();
        case "object" -> value.isObject();
        default -> throw new AssertionError("LIVE_JSON names an unknown type: " + type);
      };
      if (ok) {
        return true;
      }
    }
    return false;
  }

  @Test
  void theRealWriterWritesEveryFieldTheConsoleReadsWithItsType(@TempDir Path dir) throws Exception {
    Map<String, Map<String, String>> declared = declared(script());
    assertEquals(Set.of("run", "fault", "point", "expectation"), declared.keySet());
    JsonNode live = written(dir);
    Map<String, List<JsonNode>> instances = Map.of(
        "run", List.of(live),
        "fault", list(live.get("faults")),
        "point", list(live.get("points")),
        "expectation", list(live.get("expectations")));
    List<String> wrong = new ArrayList<>();
    declared.forEach((section, fields) -> {
      assertTrue(!instances.get(section).isEmpty(), "the written live.json has a " + section);
      for (JsonNode instance : instances.get(section)) {
        fields.forEach((field, types) -> {
          JsonNode value = instance.get(field);
          if (value == null) {
            wrong.add(section + "." + field + " is not written");
          } else if (!is(value, types)) {
            wrong.add(section + "." + field + " is " + value.getNodeType() + " (" + value + "), the console expects " + types);
          }
        });
      }
    });
    String excerpt = live.toString();
    assertEquals(List.of(), wrong.stream().distinct().toList(),
        "live.json as written: " + (excerpt.length() > 800 ? excerpt.substring(0, 800) + "..." : excerpt));

    // the cases the console draws differently are all there: a fault that lasts, one that failed, a point measured and not
    assertTrue(list(live.get("faults")).stream().anyMatch(f -> f.get("to_seconds").isNull() && f.get("problem").isNull()));
    assertTrue(list(live.get("faults")).stream().anyMatch(f -> f.get("problem").isTextual()));
    assertTrue(list(live.get("points")).stream().anyMatch(p -> p.get("p99_ms").isNull()));
    assertTrue(list(live.get("points")).stream().anyMatch(p -> p.get("errors").size() > 0
        && list(p.get("errors")).stream().allMatch(JsonNode::isNumber)), "errors per second by code");
  }

  @Test
  void theConsoleReadsExactlyTheFieldsItDeclares() throws Exception {
    String script = script();
    Set<String> declared = new TreeSet<>();
    declared(script).forEach((section, fields) -> fields.keySet().forEach(f -> declared.add(section + "." + f)));
    Set<String> read = read(script);
    Set<String> undeclared = new TreeSet<>(read);
    undeclared.removeAll(declared);
    assertEquals(Set.of(), undeclared, "read by scenarios.js but not in LIVE_JSON");
    Set<String> unread = new TreeSet<>(declared);
    unread.removeAll(read);
    unread.removeAll(READ_BY_THE_API);
    assertEquals(Set.of(), unread, "in LIVE_JSON but not read as live/f/p/e: renamed in the script?");
  }

  @Test
  void theFieldsTheRunnerStateCarriesReachTheFile(@TempDir Path dir) throws Exception {
    Scenario s = Runs.scenario("node-loss-under-load");
    LiveReport.write(dir, s, Runs.STARTED,
        new ScenarioRunner.LiveState("running", 3, 60, Runs.failed("x").series().subList(0, 3), List.of(), Map.of()));
    JsonNode live = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(dir.resolve(LiveReport.FILE)));
    for (String field : declared(script()).get("run").keySet()) {
      assertNotNull(live.get(field), "run." + field + " written by LiveReport.write: " + live);
    }
  }

  static List<JsonNode> list(JsonNode container) {
    List<JsonNode> l = new ArrayList<>();
    container.forEach(l::add);
    return l;
  }
}
