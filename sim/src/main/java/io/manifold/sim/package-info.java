/**
 * Simulation: synthetic dynos (a {@code DynoRuntime} whose service time, concurrency, failures and
 * memory follow distributions), workload generators, latency recording, seeded random streams and
 * virtual time, so that the core {@code Dyno} and {@code Router} actors and routing policies can be
 * studied without processes and without waiting for the wall clock.
 *
 * <p>Packages: {@code time} (the event loop, Pekko's virtual-time scheduler and executor),
 * {@code random}, {@code dist} (distributions and units), {@code runtime} (the synthetic
 * runtime in virtual time), {@code live} (synthetic dynos in real time on real sockets, their
 * faults, and the switch that runs them beside real processes), {@code route} (the simulated request path over the core routing classes),
 * {@code load} (generators), {@code record} (HdrHistogram recording), {@code stats}
 * (confidence intervals, queueing formulas), {@code run} (a run, cells and replications).
 *
 * <p>May use {@code io.manifold.core} only.
 */
package io.manifold.sim;
