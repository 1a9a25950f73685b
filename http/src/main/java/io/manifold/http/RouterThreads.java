package io.manifold.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.dispatch.Dispatcher;
import org.apache.pekko.dispatch.Dispatchers;
import org.apache.pekko.dispatch.MessageDispatcher;
import org.apache.pekko.dispatch.MessageDispatcherConfigurator;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.Attributes;
import scala.concurrent.duration.FiniteDuration;

/**
 * The threads of one router front ({@code manifold.router.threads}), each a {@link NioTransport}
 * with a Pekko dispatcher of its own. A client connection is given to one of them, in turn, for
 * its life; the connections to dynos its requests use are taken from the same thread's where
 * possible, so that a request does not leave its thread from the client's bytes to the dyno's
 * answer. The threads stop with the actor system.
 */
final class RouterThreads {
  private static final AtomicLong ROUTERS = new AtomicLong();
  private final NioTransport[] loops;
  private final Attributes[] dispatchers;
  private final AtomicInteger next = new AtomicInteger();

  RouterThreads(ActorSystem<?> system, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("manifold.router.threads must be at least 1: " + threads);
    }
    long router = ROUTERS.incrementAndGet();
    loops = new NioTransport[threads];
    dispatchers = new Attributes[threads];
    Dispatchers registry = system.classicSystem().dispatchers();
    Config defaults = system.settings().config().getConfig("pekko.actor.default-dispatcher");
    for (int i = 0; i < threads; i++) {
      String id = "manifold-router-" + router + "-" + (i + 1);
      NioTransport loop = new NioTransport(id, this, i);
      loops[i] = loop;
      Config config = ConfigFactory.parseMap(Map.of("id", id, "type", "Dispatcher")).withFallback(defaults);
      registry.registerConfigurator(id, new LoopDispatcher(config, registry, loop));
      dispatchers[i] = ActorAttributes.dispatcher(id);
      system.getWhenTerminated().thenRun(loop::close);
    }
  }

  /** The thread for a new client connection: each in turn. */
  int nextIndex() {
    return Math.floorMod(next.getAndIncrement(), loops.length);
  }

  NioTransport loop(int index) {
    return loops[index];
  }

  /** The attribute that runs a stream on thread {@code index}. */
  Attributes dispatcher(int index) {
    return dispatchers[index];
  }

  int size() {
    return loops.length;
  }

  /** The index of the calling thread among these, or -1 when it is none of them (asked once per request). */
  int currentIndex() {
    NioTransport here = NioTransport.current();
    return here != null && here.owner == this ? here.index : -1;
  }

  /** A Pekko dispatcher whose executor is one {@link NioTransport}, the same one for its whole life. */
  private static final class LoopDispatcher extends MessageDispatcherConfigurator {
    private final Dispatcher dispatcher;

    LoopDispatcher(Config config, Dispatchers registry, NioTransport loop) {
      super(config, registry.prerequisites());
      this.dispatcher = new Dispatcher(this, config.getString("id"), config.getInt("throughput"),
          scala.concurrent.duration.Duration.Zero(), (id, threadFactory) -> () -> loop,
          FiniteDuration.apply(config.getDuration("shutdown-timeout", TimeUnit.MILLISECONDS), TimeUnit.MILLISECONDS));
    }

    @Override
    public MessageDispatcher dispatcher() {
      return dispatcher;
    }
  }
}
