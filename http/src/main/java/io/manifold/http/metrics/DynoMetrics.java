package io.manifold.http.metrics;

import io.manifold.core.dyno.DynoName;
import io.manifold.core.dyno.DynoState;
import io.manifold.core.dyno.DynoStatus;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Dyno figures of one node, from the dynos' status changes: dynos by app and state (what
 * {@code heroku ps} would count), crashes and restarts. Fed with every {@link DynoStatus} a dyno
 * on this node reports, in order per dyno, as {@link #accept}; thread-safe.
 *
 * <p>A crash is a change to {@code crashed}; a restart is a change to {@code starting} from any
 * other state (after a crash, a release, {@code heroku ps:restart}). The table of dynos holds
 * only dynos that are not {@code down}, so it is bounded by the node's formation.
 */
public final class DynoMetrics implements Consumer<DynoStatus> {
  private final String node;
  private final Map<String, Map<DynoName, DynoState>> dynos = new ConcurrentHashMap<>();
  private final Counter crashes;
  private final Counter restarts;

  /** @param node this node's name, as a label (e.g. its cluster address {@code 127.0.0.1:25520}) */
  public DynoMetrics(NodeMetrics metrics, String node) {
    this.node = node;
    crashes = Counter.builder()
        .name("manifold_dyno_crashes_total")
        .help("Dynos that crashed (any exit of a dyno's process), by app and node")
        .labelNames("app", "node")
        .register(metrics.registry());
    restarts = Counter.builder()
        .name("manifold_dyno_restarts_total")
        .help("Dynos that started again after being up, crashed or down, by app and node")
        .labelNames("app", "node")
        .register(metrics.registry());
    GaugeWithCallback.builder()
        .name("manifold_dynos")
        .help("Dynos by app, node and state (starting, up, crashed)")
        .labelNames("app", "node", "state")
        .callback(cb -> dynos.forEach((app, byName) -> {
          Map<DynoState, Integer> counts = new EnumMap<>(DynoState.class);
          byName.values().forEach(s -> counts.merge(s, 1, Integer::sum));
          for (DynoState s : DynoState.values()) {
            if (s != DynoState.DOWN) {
              cb.call(counts.getOrDefault(s, 0), app, node, s.word());
            }
          }
        }))
        .register(metrics.registry());
  }

  @Override
  public void accept(DynoStatus status) {
    Map<DynoName, DynoState> byName = dynos.computeIfAbsent(status.app(), a -> new ConcurrentHashMap<>());
    DynoState before = status.state() == DynoState.DOWN
        ? byName.remove(status.name())
        : byName.put(status.name(), status.state());
    if (status.state() == before) {
      return;
    }
    if (status.state() == DynoState.CRASHED) {
      crashes.labelValues(status.app(), node).inc();
    } else if (status.state() == DynoState.STARTING && before != null) {
      restarts.labelValues(status.app(), node).inc();
    }
  }

  /** The app is gone from this node: its gauges go (its counters stay, as counters do). */
  public void forget(String app) {
    dynos.remove(app);
  }
}
