package io.manifold.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Bad input to {@code manifold node} is refused before anything starts, naming the flag and what
 * was expected: a malformed or silent {@code --join}, a taken port, two flags on one port.
 */
class NodeCommandInputTest {
  @TempDir
  Path dir;

  record Run(int status, String err) {}

  private Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    // never the user's data or token: a throw-away directory and token
    all[args.length] = "--data-dir";
    all[args.length + 1] = dir.resolve("data").toString();
    all[args.length + 2] = "--token";
    all[args.length + 3] = "input-test-token";
    int status = cli.execute(all);
    return new Run(status, err.toString());
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void aJoinThatIsNotHostColonPortIsRefused() throws Exception {
    Run r = run("node", "--cluster-port", "0", "--port", "0", "--api-port", "0", "--join", "127.0.0.1");
    assertEquals(1, r.status(), r.err());
    assertTrue(r.err().contains("--join 127.0.0.1: expected HOST:PORT"), r.err());
    Run badPort = run("node", "--cluster-port", "0", "--port", "0", "--api-port", "0", "--join", "127.0.0.1:99999");
    assertTrue(badPort.err().contains("--join 127.0.0.1:99999: expected HOST:PORT"), badPort.err());
  }

  @Test
  void aJoinWhereNoNodeAnswersIsRefusedWithWhatToDo() throws Exception {
    int nobody = freePort();
    Run r = run("node", "--cluster-port", "0", "--port", "0", "--api-port", "0", "--join", "127.0.0.1:" + nobody);
    assertEquals(1, r.status(), r.err());
    assertTrue(r.err().contains("--join 127.0.0.1:" + nobody + ": no node answers at 127.0.0.1:" + nobody), r.err());
    assertTrue(r.err().contains("start the first node without --join"), r.err());
  }

  @Test
  void aTakenPortIsNamedByItsFlag() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      Run cluster = run("node", "--cluster-port", Integer.toString(port), "--port", "0", "--api-port", "0");
      assertEquals(1, cluster.status(), cluster.err());
      assertTrue(cluster.err().contains("--cluster-port " + port + ": cannot listen on 127.0.0.1:" + port), cluster.err());
      Run router = run("node", "--cluster-port", "0", "--port", Integer.toString(port), "--api-port", "0");
      assertTrue(router.err().contains("--port " + port + ": cannot listen"), router.err());
      Run api = run("node", "--cluster-port", "0", "--port", "0", "--api-port", Integer.toString(port));
      assertTrue(api.err().contains("--api-port " + port + ": cannot listen"), api.err());
    }
  }

  @Test
  void twoFlagsOnOnePortAndAPortOutOfRangeAreRefused() {
    Run same = run("node", "--cluster-port", "5000", "--port", "5000", "--api-port", "0");
    assertEquals(1, same.status(), same.err());
    assertTrue(same.err().contains("--port 5000: the same port as --cluster-port"), same.err());
    Run range = run("node", "--cluster-port", "70000");
    assertTrue(range.err().contains("--cluster-port: expected a port from 0 to 65535 but found 70000"), range.err());
  }
}
