package io.manifold.core.app;

import io.manifold.core.logs.LogChannel;
import org.apache.pekko.actor.typed.RecipientRef;

/**
 * Where apps and their log channels live. In a cluster both are sharded entities keyed by the
 * app's name: any node reaches them, and Cluster Sharding places them again on a survivor when
 * their node is lost. On a single node ({@link LocalAppHost}) they are actors of that node.
 * Thread-safe: the API calls it from its own threads.
 */
public interface AppHost {
  RecipientRef<App.Command> app(String name);

  RecipientRef<LogChannel.Command> logs(String name);

  /** The app is gone for good: what was kept for it may go (a new app of that name starts fresh). */
  default void forget(String name) {}
}
