package io.manifold.scenarios;

import io.manifold.scenarios.chaos.Scenario;
import io.manifold.scenarios.chaos.ScenarioParser;
import io.manifold.scenarios.chaos.ScenarioResult;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Chaos scenarios from Java: what {@code manifold scenario} does, for a JUnit suite in another
 * project that wants to run a scenario and assert on what it measured.
 *
 * <pre>
 * ScenarioResult r = Scenarios.run(Path.of("scenarios/library/node-loss.yaml"));
 * assertTrue(r.passed(), () -&gt; r.expectations().toString());
 * </pre>
 */
public final class Scenarios {
  private Scenarios() {}

  /**
   * Reads and checks a scenario file without running it.
   *
   * @throws io.manifold.scenarios.yaml.YamlException listing every problem, each with its place
   */
  public static Scenario validate(Path file) {
    return ScenarioParser.parse(file);
  }

  /** Runs a scenario file with its own seed, quietly. */
  public static ScenarioResult run(Path file) {
    return run(file, new Options(null, null, line -> {}));
  }

  /**
   * Runs a scenario file.
   *
   * @throws io.manifold.scenarios.yaml.YamlException when the file is not a valid scenario
   */
  public static ScenarioResult run(Path file, Options options) {
    Scenario scenario = ScenarioParser.parse(file);
    if (options.seed() != null) {
      scenario = scenario.withSeed(options.seed());
    }
    return new ScenarioRun(scenario, options.out(), options.listener()).run();
  }

  /**
   * How to run: another seed (null keeps the file's), where the reports go (null: none), and who
   * hears the progress lines.
   */
  public record Options(Long seed, Path out, Consumer<String> listener) {}
}
