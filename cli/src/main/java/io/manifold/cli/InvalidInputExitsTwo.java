package io.manifold.cli;

/**
 * Marks the commands whose contract with CI pipelines (scenarios, studies) is "exit 2: the input
 * is invalid or the run could not complete", where Heroku's verbs exit 1 for a usage error.
 */
interface InvalidInputExitsTwo {}
