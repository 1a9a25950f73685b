/**
 * Routing studies: the YAML format ({@link io.manifold.scenarios.study.StudyParser}), the cells a
 * study sweeps, its runner, and its outputs (terminal table, results.csv, summary.csv, trace.csv,
 * report.html).
 */
package io.manifold.scenarios.study;
