package io.manifold.core.app;

import io.manifold.core.logs.LogChannel;
import org.apache.pekko.actor.typed.RecipientRef;

/**
 * Where an app and its log channel can be reached from this node: actor refs on a single node,
 * sharded entity refs in a cluster. Local to a node, never sent between nodes.
 */
public record AppHandle(String name, String id, RecipientRef<App.Command> app, RecipientRef<LogChannel.Command> logs) {}
