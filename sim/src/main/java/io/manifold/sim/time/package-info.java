/**
 * Virtual and real time for simulations: the event loop that is the clock and the only thread of a
 * simulated system, and the Pekko scheduler and dispatcher executor that put an ActorSystem on it.
 */
package io.manifold.sim.time;
