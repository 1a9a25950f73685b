/**
 * The synthetic runtime: dynos without processes, whose requests follow a service model.
 */
package io.manifold.sim.runtime;
