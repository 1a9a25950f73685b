/**
 * Chaos scenarios written in YAML: the model and its validation, the runner that applies faults on
 * a timeline and checks expectations, and the reports (JSON, HTML, JUnit XML).
 *
 * <p>May use {@code core}, {@code http}, {@code cluster} and {@code sim}; not {@code cli}.
 */
package io.manifold.scenarios;
