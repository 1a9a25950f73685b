/**
 * Runs: the actors of a simulated manifold, one replication, cells and their replications.
 */
package io.manifold.sim.run;
