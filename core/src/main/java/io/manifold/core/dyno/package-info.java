/**
 * Dynos: the {@code Dyno} lifecycle ({@code starting -> up -> crashed/down}, Heroku's restart
 * back-off, SIGTERM then SIGKILL, R10 and R12) and the {@code DynoRuntime} seam that runs what a
 * dyno runs, with the process runtime.
 */
package io.manifold.core.dyno;
