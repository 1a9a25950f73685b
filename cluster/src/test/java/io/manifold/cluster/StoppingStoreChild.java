package io.manifold.cluster;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;

/**
 * A store process in the last moment of its idle stop, for {@link SharedStoreTest}: it holds the
 * nodes' lock ({@code store.lock}) and has the H2 file open, with no {@code store.port} any more
 * (a store removes it first), prints {@code STOPPING}, then after the given milliseconds closes the
 * file and lets the lock go, as {@code StoreProcess.stopIfStillIdle} does.
 *
 * <p>Arguments: data directory, milliseconds to hold.
 */
public final class StoppingStoreChild {
  private StoppingStoreChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long hold = Long.parseLong(args[1]);
    try (FileChannel channel = FileChannel.open(dir.resolve(SharedStore.LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock();
        Connection db = DriverManager.getConnection(Database.h2FileUrl(dir.resolve("manifold")), "sa", "")) {
      System.out.println("STOPPING");
      System.out.flush();
      Thread.sleep(hold);
    }
  }
}
