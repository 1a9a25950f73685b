/**
 * The {@code App} entity: formation, config vars and releases, and the dynos that run them. An app
 * reconciles its dynos to its formation; a config change is a new release and restarts them.
 */
package io.manifold.core.app;
