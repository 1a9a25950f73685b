/**
 * A small YAML layer for Manifold's own files (studies now, scenarios next): a tree with the location
 * of every node, typed reading of fields that collects every problem with its file, line, column and
 * field, and unknown fields refused with a suggestion for a near miss.
 */
package io.manifold.scenarios.yaml;
