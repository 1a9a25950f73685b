package io.manifold.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that calls the Platform API: where the API is ({@code --api}, {@code --token}) and
 * where to print. As in the heroku CLI, results go to stdout and the "Doing this... done" lines to
 * stderr, so that a script can capture what a command printed without its progress.
 */
abstract class PlatformCommand implements Callable<Integer> {
  @Mixin
  ApiOptions api;

  @Spec
  CommandSpec spec;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  Action action(String doing) {
    return Action.start(err(), doing);
  }

  /** A command about one app: {@code -a/--app}, or the app the environment or the manifold implies. */
  abstract static class ForApp extends PlatformCommand {
    @Mixin
    AppOption appOption;

    String app(PlatformClient heroku) {
      return appOption.resolve(heroku);
    }
  }
}
