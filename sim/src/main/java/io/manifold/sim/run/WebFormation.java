package io.manifold.sim.run;

import io.manifold.core.CborSerializable;
import io.manifold.core.dyno.Dyno;
import io.manifold.core.dyno.DynoName;
import io.manifold.core.dyno.DynoRuntime;
import io.manifold.core.dyno.DynoSettings;
import io.manifold.core.dyno.DynoSpec;
import io.manifold.core.dyno.DynoStatus;
import io.manifold.core.logs.LogChannel;
import io.manifold.core.routing.Router;
import java.nio.file.Path;
import java.util.Map;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The web dynos of a simulated app: N core {@link Dyno} actors ({@code web.1 .. web.N}) on a
 * synthetic runtime, whose every state change goes on to the router, as the core {@code App} does
 * with its dynos. A study needs more web dynos than the {@code App}'s bound of 100 per process
 * type (Heroku's default limit), and none of its releases or config vars, hence this.
 */
public final class WebFormation {
  /** Bound on a simulated formation: each dyno is an actor and a route in every router's table. */
  public static final int MAX_DYNOS = 10_000;

  public sealed interface Command extends CborSerializable {}

  private record Changed(DynoStatus status) implements Command, NoSerializationVerificationNeeded {}

  private WebFormation() {}

  public static Behavior<Command> create(
      String app, int dynos, DynoRuntime runtime, DynoSettings settings,
      ActorRef<LogChannel.Command> logs, ActorRef<Router.Command> router) {
    if (dynos < 0 || dynos > MAX_DYNOS) {
      throw new IllegalArgumentException("web dynos must be between 0 and " + MAX_DYNOS + ", not " + dynos);
    }
    return Behaviors.setup(ctx -> {
      router.tell(new Router.RegisterApp(app, logs));
      ActorRef<DynoStatus> listener = ctx.messageAdapter(DynoStatus.class, Changed::new);
      for (int i = 1; i <= dynos; i++) {
        DynoName name = new DynoName("web", i);
        DynoSpec spec = new DynoSpec(app, name, "synthetic", Map.of("DYNO", name.toString()), 1, Path.of("."));
        ctx.spawn(Dyno.create(spec, runtime, settings, logs, listener), name.toString());
      }
      return Behaviors.receive(Command.class)
          .onMessage(Changed.class, m -> {
            router.tell(new Router.DynoChanged(m.status()));
            return Behaviors.same();
          })
          .build();
    });
  }
}
