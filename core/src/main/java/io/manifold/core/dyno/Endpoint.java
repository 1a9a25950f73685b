package io.manifold.core.dyno;

import io.manifold.core.CborSerializable;

/** Where a web dyno listens: the host of its node and its {@code $PORT}. */
public record Endpoint(String host, int port) implements CborSerializable {
  @Override
  public String toString() {
    return host + ":" + port;
  }
}
