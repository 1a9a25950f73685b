package io.manifold.core.app;

import io.manifold.core.dyno.Dyno;
import io.manifold.core.dyno.DynoName;
import org.apache.pekko.actor.typed.RecipientRef;

/**
 * Where an app's dynos live. In a cluster, a dyno is a sharded entity ({@code app/web.1}) placed
 * by Cluster Sharding on any node, and placed again on a survivor when its node is lost; the app
 * reaches it by its id wherever it is. Without a host, an app's dynos are its own children.
 */
@FunctionalInterface
public interface DynoHost {
  /** The dyno {@code name} of {@code app}: an idle {@link Dyno} until it gets a {@link Dyno.Ensure}. */
  RecipientRef<Dyno.Command> dyno(String app, DynoName name);
}
