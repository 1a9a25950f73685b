/**
 * A node's metrics in Prometheus's text format ({@code /metrics}) and, from the same registry, as
 * snapshots for code: the router's requests, latency, in-flight and backlog per app; binders that
 * turn dyno status changes, log channel counts and cluster membership into figures; JVM basics.
 *
 * <p>May use {@code io.manifold.core}; must not use {@code cluster}, {@code sim},
 * {@code scenarios} or {@code cli}.
 */
package io.manifold.http.metrics;
