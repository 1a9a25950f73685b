import com.typesafe.config.ConfigFactory;
import io.manifold.cluster.LocalManifold;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Manifold side of the benchmark: a local node, as {@code manifold up} starts it, with the app
 * {@code bench} (bench/app: three web dynos, each an nginx) and the router's round-robin policy,
 * as nginx's and HAProxy's default. Unlike {@code manifold up} it prints no log: a terminal tail is
 * a reader of the log, not part of the router, which still writes every router line to the app's
 * log channel.
 *
 * <pre>java -cp cli/target/manifold.jar bench/BenchNode.java ROUTER_PORT API_PORT APP_DIR RUN_DIR [POLICY]</pre>
 *
 * Prints {@code ready} once the app is created; stops every dyno and exits when its standard input
 * closes, or when it gets SIGTERM (Pekko's coordinated shutdown runs on the JVM's shutdown hook).
 */
public final class BenchNode {
  public static void main(String[] args) throws Exception {
    int routerPort = Integer.parseInt(args[0]);
    int apiPort = Integer.parseInt(args[1]);
    Path appDir = Path.of(args[2]);
    String run = args[3];
    String policy = args.length > 4 ? args[4] : "round-robin";
    LocalManifold node = LocalManifold.start(ConfigFactory.parseMap(Map.of(
        "manifold.router.port", routerPort,
        "manifold.api.port", apiPort,
        "manifold.api.token", "bench",
        // nothing kept: a run leaves no app behind in the user's data directory for the next
        // run to trip over ("Name bench is already taken"), and writes no file while it measures
        "manifold.db.url", "memory",
        "manifold.router.policy", policy)));
    node.createApp("bench", appDir, Map.of("BENCH_RUN", run), Map.of("web", 3));
    System.out.println("ready " + node.port() + " " + node.apiPort());
    System.out.flush();
    while (System.in.read() != -1) {
      // the harness holds our standard input open while it needs us
    }
    node.close();
    System.exit(0);
  }
}
