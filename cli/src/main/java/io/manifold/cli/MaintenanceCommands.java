package io.manifold.cli;

import static io.manifold.cli.PlatformClient.href;

import picocli.CommandLine.Command;

/** {@code maintenance}, {@code maintenance:on}, {@code maintenance:off}. */
final class MaintenanceCommands {
  private MaintenanceCommands() {}

  @Command(name = "maintenance", mixinStandardHelpOptions = true, description = "Prints whether an app is in maintenance mode: on or off.")
  static final class Index extends PlatformCommand.ForApp {
    @Override
    public Integer call() {
      PlatformClient heroku = api.client();
      out().println(heroku.get(href("apps", app(heroku))).path("maintenance").asBoolean() ? "on" : "off");
      return 0;
    }
  }

  @Command(name = "maintenance:on", mixinStandardHelpOptions = true,
      description = "Puts an app into maintenance mode: the router answers every request with 503 and H80; the dynos keep running.")
  static final class On extends PlatformCommand.ForApp {
    @Override
    public Integer call() {
      return set(this, true);
    }
  }

  @Command(name = "maintenance:off", mixinStandardHelpOptions = true, description = "Takes an app out of maintenance mode.")
  static final class Off extends PlatformCommand.ForApp {
    @Override
    public Integer call() {
      return set(this, false);
    }
  }

  private static int set(PlatformCommand.ForApp command, boolean on) {
    PlatformClient heroku = command.api.client();
    String app = command.app(heroku);
    try (Action a = command.action((on ? "Enabling" : "Disabling") + " maintenance mode for " + Styled.app(app))) {
      heroku.patch(href("apps", app), PlatformClient.object().put("maintenance", on));
      a.done();
    }
    return 0;
  }
}
