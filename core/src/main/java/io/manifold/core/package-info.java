/**
 * The domain of the manifold, in Heroku's words, and the actors that run it: {@code App},
 * {@code Dyno}, {@code LogChannel} and the {@code Router}'s table, plus the {@code DynoRuntime}
 * seam with the process runtime.
 *
 * <p>This module knows nothing of HTTP, of the cluster, of simulation or of scenarios: it must
 * not import {@code io.manifold.http}, {@code io.manifold.cluster}, {@code io.manifold.sim} or
 * {@code io.manifold.scenarios}. A behavior here never knows whether its dyno is a real process
 * or a synthetic one; that choice is a {@link io.manifold.core.dyno.DynoRuntime}.
 */
package io.manifold.core;
