package io.manifold.cli;

import io.manifold.core.InputException;
import picocli.CommandLine;

/**
 * How a command's failure reaches the person, with the heroku CLI's exit codes: bad input (a flag,
 * a file) as one line naming the place and what was expected, exit 1; an error the API answered,
 * exit 2; anything else with its message, exit 1.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler {
  static final int BAD_INPUT = 1;
  static final int API_ERROR = 2;
  static final int FAILED = 1;

  @Override
  public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    if (e instanceof InputException) {
      cli.getErr().println("manifold: " + e.getMessage());
      return BAD_INPUT;
    }
    cli.getErr().println("manifold: " + e.getMessage());
    if (System.getenv("MANIFOLD_DEBUG") != null) {
      e.printStackTrace(cli.getErr());
    } else {
      cli.getErr().println("(set MANIFOLD_DEBUG=1 for the stack trace)");
    }
    return FAILED;
  }
}
