/**
 * What a run measured: latency histograms, outcomes by status, the trace.
 */
package io.manifold.sim.record;
