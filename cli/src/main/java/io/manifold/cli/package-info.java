/**
 * The {@code manifold} command (picocli). Commands parse their flags, call the other modules and
 * format what comes back; they hold no logic of their own.
 */
package io.manifold.cli;
