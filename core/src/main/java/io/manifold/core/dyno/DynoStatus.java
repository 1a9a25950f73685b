package io.manifold.core.dyno;

import io.manifold.core.CborSerializable;
import java.time.Instant;

/**
 * What {@code heroku ps} shows of a dyno, and what the router needs: its state since when, and
 * where a web dyno listens (null unless it is up).
 */
public record DynoStatus(
    String app, DynoName name, DynoState state, Instant since, Endpoint endpoint, int release, String command)
    implements CborSerializable {}
