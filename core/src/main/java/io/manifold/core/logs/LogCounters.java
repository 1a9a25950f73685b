package io.manifold.core.logs;

/**
 * What a channel counts for the node's metrics: lines published, lines a slow tail lost (L11) and
 * lines a drain lost (L10). Core has no metrics library: the node passes its counters in.
 */
public interface LogCounters {
  void published(int lines);

  void tailDropped(long lines);

  void drainDropped(long lines);

  LogCounters NONE = new LogCounters() {
    @Override
    public void published(int lines) {}

    @Override
    public void tailDropped(long lines) {}

    @Override
    public void drainDropped(long lines) {}
  };
}
