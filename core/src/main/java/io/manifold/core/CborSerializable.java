package io.manifold.core;

/**
 * Marker for messages that may cross nodes. Bound to Jackson CBOR in the cluster's
 * configuration, so that no message ever falls back to Java serialization.
 */
public interface CborSerializable {}
