/**
 * Seeded random streams, one per purpose, derived from one seed.
 */
package io.manifold.sim.random;
