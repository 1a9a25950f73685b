/**
 * Load generators: open loop (Poisson or constant, steps and ramps), closed loop, trace replay.
 */
package io.manifold.sim.load;
