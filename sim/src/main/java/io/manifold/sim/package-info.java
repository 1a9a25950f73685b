/**
 * Simulation: synthetic dynos (a {@code DynoRuntime} whose service time, concurrency, failures and
 * memory follow distributions), workload generators, latency recording and virtual time.
 *
 * <p>May use {@code io.manifold.core} only.
 */
package io.manifold.sim;
