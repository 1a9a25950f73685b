/**
 * A manifold node: the actor system and the wiring of apps, dynos, log channels, the router and
 * its HTTP front. Today a single local node ({@link io.manifold.cluster.LocalManifold}); the
 * Pekko Cluster with sharded entities builds on it.
 *
 * <p>May use {@code io.manifold.core} and {@code io.manifold.http}; must not use {@code sim},
 * {@code scenarios} or {@code cli}.
 */
package io.manifold.cluster;
