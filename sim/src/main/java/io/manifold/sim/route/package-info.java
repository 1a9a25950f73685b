/**
 * The simulated request path: router nodes that read the core routing tables and count in-flight
 * requests in the core routes, as the live front does.
 */
package io.manifold.sim.route;
