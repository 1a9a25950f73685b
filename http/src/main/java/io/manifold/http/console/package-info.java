/**
 * The web console: a page and its scripts and styles, served on the API's port at {@code /} and
 * {@code /console/...} without a token (they hold no data). Everything the page shows or does goes
 * through the Platform API with the token the person typed, kept in the browser tab's session
 * storage. Plain HTML and JavaScript modules: nothing is built, nothing is loaded from elsewhere.
 *
 * <p>May use Pekko HTTP; must not use {@code core}'s actors, {@code cluster}, {@code sim},
 * {@code scenarios} or {@code cli}: the page's data comes only through the API.
 */
package io.manifold.http.console;
