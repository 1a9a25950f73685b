package io.manifold.cli;

import io.manifold.cluster.SharedStore;
import io.manifold.core.InputException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code manifold store}: the store process that serves the data directory's H2 file to the nodes of this machine. */
@Command(
    name = "store",
    mixinStandardHelpOptions = true,
    description = {
      "Shows the store process that serves the H2 file of the data directory to the `manifold node`s of this machine"
          + " (the first node starts it; it stops by itself once no node has been connected for 30 s), or stops it.",
    })
final class StoreCommand implements Callable<Integer> {
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);

  @Spec
  CommandSpec spec;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "The data directory (default: $XDG_DATA_HOME/manifold or ~/.local/share/manifold).")
  Path dataDir;

  @Option(names = "--stop", description = "Stop the store process (SIGTERM: it closes the database), if no node is connected to it.")
  boolean stop;

  @Option(names = "--force", description = "With --stop: stop it even while nodes are connected (they lose the database).")
  boolean force;

  @Override
  public Integer call() {
    if (force && !stop) {
      throw new InputException("--force", "expected it with --stop (it lets --stop stop a store that nodes still use)");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = SharedStore.dataDir(dataDir);
    // with --stop, counted and stopped under the nodes' lock, so that no node joins in between
    SharedStore.Stopping stopping = stop ? SharedStore.stop(dir, force, STOP_WAIT) : null;
    SharedStore.Status s = stop ? stopping.found() : SharedStore.status(dir);
    if (s == null) {
      out.println("manifold: no store process serves " + dir + " (a manifold node starts one when it needs it)");
      return 0;
    }
    String connections = (s.connections() < 0 ? "an unknown number of" : Integer.toString(s.connections()))
        + " connection" + (s.connections() == 1 ? "" : "s");
    if (!stop) {
      out.println("manifold: the store process (pid " + s.pid() + ") serves " + dir.resolve("manifold.mv.db") + " on 127.0.0.1:" + s.port()
          + ", " + connections + " open (a node holds several); log " + s.log());
      return 0;
    }
    if (s.connections() != 0 && !force) {
      err.println("manifold: the store process (pid " + s.pid() + ") has " + connections + " open: nodes, or a manifold up, use it;"
          + " stop them first (they would lose the database), or add --force");
      return 1;
    }
    out.println(stopping.stopped() ? "manifold: the store process (pid " + s.pid() + ") stopped; log " + s.log()
        : "manifold: the store process (pid " + s.pid() + ") was gone already");
    return 0;
  }
}
