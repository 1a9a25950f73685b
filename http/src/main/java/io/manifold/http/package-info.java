/**
 * Pekko HTTP: the router front (Host -> app -> policy -> dyno, with Heroku's headers, timeouts,
 * error codes and log lines). Later the Platform API, the log streams and the web console.
 *
 * <p>May use {@code io.manifold.core}; must not use {@code cluster}, {@code sim},
 * {@code scenarios} or {@code cli}.
 */
package io.manifold.http;
