package io.manifold.core.app;

import io.manifold.core.dyno.DynoStatus;
import io.manifold.core.logs.LogCounters;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * How a node watches its apps for its metrics, without core knowing any metrics library: every
 * status of a dyno on this node, a log channel's counters, and an app that is gone.
 */
public record NodeObservers(Consumer<DynoStatus> dynos, Function<String, LogCounters> logs, Consumer<String> appGone) {
  public static final NodeObservers NONE = new NodeObservers(s -> { }, app -> LogCounters.NONE, app -> { });
}
