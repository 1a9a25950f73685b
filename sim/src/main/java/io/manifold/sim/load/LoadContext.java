package io.manifold.sim.load;

import io.manifold.sim.random.RandomStreams;
import io.manifold.sim.route.RequestSink;
import io.manifold.sim.time.SimClock;

/**
 * What a load generator works with.
 *
 * @param from when the first request may go (clock nanoseconds)
 * @param until no request goes at or after this
 * @param streams for the generator's own draws (arrival gaps, think times)
 */
public record LoadContext(SimClock clock, RequestSink sink, RequestFactory requests, RandomStreams streams, long from, long until) {}
