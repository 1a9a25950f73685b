/**
 * The Platform API, shaped like Heroku's version 3 (../shared/HEROKU.md section 4): the same
 * paths, fields, error ids, ranges and status codes, so that the real {@code heroku} CLI and the
 * {@code manifold} CLI can both drive a manifold. Routes parse and format; every decision is the
 * app's ({@code io.manifold.core.app.App}). Beside it, behind the same checks, Manifold's own
 * {@code /manifold/...} endpoints that the web console reads (nodes, router figures, scenario
 * runs), and the console's files ({@code io.manifold.http.console}) in front of the checks.
 */
package io.manifold.http.api;
