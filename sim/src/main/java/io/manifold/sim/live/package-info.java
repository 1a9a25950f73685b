/**
 * Synthetic dynos in real time, on real sockets, for a scenario's real manifold: the
 * {@link io.manifold.sim.live.LiveSyntheticRuntime} (configured by the app's config vars,
 * {@link io.manifold.sim.live.SyntheticConfig}), the faults a scenario injects into them
 * ({@link io.manifold.sim.live.SyntheticFaults}), and the
 * {@link io.manifold.sim.live.RuntimeSwitch} that sends {@code synthetic} commands here and every
 * other command to the process runtime. The virtual-time counterpart is {@code io.manifold.sim.runtime}.
 *
 * <p>May use {@code io.manifold.core} and the rest of {@code sim} only (no Pekko HTTP: the server
 * is plain NIO).
 */
package io.manifold.sim.live;
