/**
 * The example app's worker process: no port, just work, reported every 5 seconds. Stops cleanly
 * on SIGTERM, as a Heroku worker should.
 */
public class Worker {
  public static void main(String[] args) throws InterruptedException {
    String dyno = System.getenv().getOrDefault("DYNO", "worker.?");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println(dyno + " received SIGTERM, finishing up")));
    System.out.println(dyno + " started, working");
    for (long jobs = 1; ; jobs++) {
      Thread.sleep(5_000);
      System.out.println(dyno + " finished job " + jobs);
    }
  }
}
