/**
 * The routing mesh's brain, without the network: the table of up web dynos per app, kept by the
 * {@code Router} actor and read by the HTTP front on every request; the routing policies; Heroku's
 * H-codes and the router's log line.
 */
package io.manifold.core.routing;
