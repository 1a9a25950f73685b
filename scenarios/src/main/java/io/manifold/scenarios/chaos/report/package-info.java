/**
 * A scenario run's reports, written from its {@link io.manifold.scenarios.chaos.ScenarioResult}:
 * {@code report.json} (everything measured, the scenario as it ran, in a documented and stable
 * shape), {@code report.html} (one self-contained page: verdict, tables, charts with the faults
 * marked), {@code junit.xml} (one test case per expectation, for CI) and, while a run goes on,
 * {@code live.json} for the web console's live view.
 *
 * <p>Formats only: it reads the model and the result and writes files. It must not depend on the
 * runner's workings beyond {@link io.manifold.scenarios.chaos.run.ScenarioRunner.LiveState}, nor on
 * {@code http}: the console reads these files, it does not link against this code.
 */
package io.manifold.scenarios.chaos.report;
