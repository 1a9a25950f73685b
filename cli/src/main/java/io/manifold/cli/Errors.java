package io.manifold.cli;

import io.manifold.core.InputException;
import picocli.CommandLine;

/**
 * How a command's failure reaches the person, with the heroku CLI's exit codes: bad input (a flag,
 * an argument, a file) as one line naming the place and what was expected, exit 1; an error the
 * API answered, as its message and {@code Error ID}, exit 2; an API that does not answer, with a
 * hint, exit 1; anything else with its message, exit 1.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler {
  static final int BAD_INPUT = 1;
  static final int API_ERROR = 2;
  static final int FAILED = 1;

  @Override
  public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    if (e instanceof InputException) {
      cli.getErr().println("manifold: " + e.getMessage());
      return cli.getCommand() instanceof InvalidInputExitsTwo ? 2 : BAD_INPUT;
    }
    if (e instanceof PlatformClient.Refused refused) {
      // as the heroku CLI prints an API error: the message, then the error's id
      cli.getErr().println("manifold: " + refused.getMessage());
      if (refused.id != null) {
        cli.getErr().println("Error ID: " + refused.id);
      }
      return API_ERROR;
    }
    if (e instanceof PlatformClient.Unreachable unreachable) {
      cli.getErr().println("manifold: " + unreachable.getMessage());
      return FAILED;
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
