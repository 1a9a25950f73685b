/**
 * Distributions of durations (service, think and boot times) and the units study files write them
 * in.
 */
package io.manifold.sim.dist;
