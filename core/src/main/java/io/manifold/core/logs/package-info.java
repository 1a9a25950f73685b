/**
 * Logplex: one {@code LogChannel} per app with a bounded history (1,500 lines) and live tails that
 * lose lines (announced with L11) rather than slow the channel down.
 */
package io.manifold.core.logs;
