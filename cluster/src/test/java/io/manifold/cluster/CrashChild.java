package io.manifold.cluster;

import io.manifold.core.app.App;
import io.manifold.core.app.AppHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * A manifold in a JVM of its own, for {@link CrashRecoveryTest}: makes app {@code crashy} and sets
 * config var {@code K<i>=<i>} for i = 1..count, printing {@code ACK <i>} once each change is
 * acknowledged (that is, stored). Then waits, bounded, to be killed.
 */
public final class CrashChild {
  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    String database = args.length > 2 ? args[2] : "";
    LocalManifold m = LocalManifold.start(DurableControlPlaneTest.config(data, database));
    System.out.println("READY");
    System.out.flush();
    AppHandle app = m.app("crashy");
    if (app == null) {
      app = m.createApp("crashy", null, Map.of(), Map.of());
    }
    for (int i = 1; i <= count; i++) {
      int n = i;
      App.Outcome o = AskPattern.<App.Command, App.Outcome>ask(app.app(),
          (ActorRef<App.Outcome> r) -> new App.SetConfig(Map.of("K" + n, Integer.toString(n)), "crash@manifold.test", r),
          Duration.ofSeconds(30), m.system().scheduler()).toCompletableFuture().join();
      if (o.accepted()) {
        System.out.println("ACK " + n);
        System.out.flush();
      }
    }
    System.out.println("DONE");
    System.out.flush();
    Thread.sleep(Duration.ofMinutes(5).toMillis());
    m.close();
  }
}
