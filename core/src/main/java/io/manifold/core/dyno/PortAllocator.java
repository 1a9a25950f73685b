package io.manifold.core.dyno;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Picks a {@code $PORT} for a dyno: a port the OS reports free on the loopback interface. Another
 * program could take it between this check and the dyno's bind; the dyno then fails to bind and
 * crashes, and its restart gets a new port, which is what Heroku does with a dyno that crashes.
 */
final class PortAllocator {
  private PortAllocator() {}

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on the loopback interface", e);
    }
  }
}
