package io.manifold.sim.live;

/**
 * What a synthetic dyno is doing now, for tests and the scenario runner.
 *
 * @param port {@code $PORT} of a web dyno, 0 for other types
 * @param state {@code booting}, {@code running}, {@code draining} (after SIGTERM) or {@code gone}
 * @param served requests answered (200 or 500) since launch
 * @param inService requests being served now (not counting those held by a hang)
 * @param queued requests waiting for a slot
 * @param hung requests held by a hang fault, each keeping its slot
 * @param refused requests refused because the backlog was full (their connections closed)
 * @param memoryBytes the memory it reports to the dyno manager
 */
public record SyntheticDynoView(
    String app, String dyno, int release, int port, String state,
    long served, int inService, int queued, int hung, long refused, long memoryBytes) {}
