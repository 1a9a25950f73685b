package io.manifold.cli;

import java.io.PrintWriter;

/**
 * The heroku CLI's progress line: {@code Scaling dynos...} when the call starts, then
 * {@code  done, now running worker at 2:Basic} on the same line when it succeeds, or {@code  !}
 * when it fails (the error follows on a line of its own).
 */
final class Action implements AutoCloseable {
  private final PrintWriter err;
  private boolean ended;

  private Action(PrintWriter err) {
    this.err = err;
  }

  static Action start(PrintWriter err, String doing) {
    err.print(doing + "...");
    err.flush();
    return new Action(err);
  }

  void done() {
    done("done");
  }

  void done(String status) {
    end(" " + status);
  }

  @Override
  public void close() {
    end(" !");
  }

  private void end(String text) {
    if (!ended) {
      ended = true;
      err.println(text);
      err.flush();
    }
  }
}
