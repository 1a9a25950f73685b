package io.manifold.sim.record;

/**
 * One request as {@code trace.csv} shows it. Times in nanoseconds; {@code arrival} from the start
 * of the measurement (after the warm-up); -1 where something did not happen (no dyno, never
 * started).
 */
public record TraceRow(long id, long arrival, int routerNode, String dyno, long queue, long service, long response, int status, String code) {}
