package io.manifold.core.logs;

import io.manifold.core.CborSerializable;
import java.time.Instant;

/** A log drain: where Logplex sends a copy of every line of the app, and the token it sends along. */
public record Drain(String id, String url, String token, Instant createdAt) implements CborSerializable {}
