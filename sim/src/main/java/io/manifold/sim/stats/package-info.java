/**
 * Statistics over replications (Student t intervals) and the queueing results the simulator is
 * checked against.
 */
package io.manifold.sim.stats;
