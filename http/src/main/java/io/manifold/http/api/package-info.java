/**
 * The Platform API, shaped like Heroku's version 3 (../shared/HEROKU.md section 4): the same
 * paths, fields, error ids, ranges and status codes, so that the real {@code heroku} CLI and the
 * {@code manifold} CLI can both drive a manifold. Routes parse and format; every decision is the
 * app's ({@code io.manifold.core.app.App}).
 */
package io.manifold.http.api;
