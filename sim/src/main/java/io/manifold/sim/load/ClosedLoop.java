package io.manifold.sim.load;

import io.manifold.sim.dist.Distribution;
import io.manifold.sim.dist.Units;
import io.manifold.sim.route.Request;
import java.util.SplittableRandom;

/**
 * Closed-loop load: N users, each sending one request, waiting for its answer (whatever it is),
 * thinking for a while, and sending the next. The users start spread over one think time, so that
 * they do not all arrive at once. At most N requests are open at a time.
 */
public final class ClosedLoop implements Workload {
  /** Bound on users: each is an object and at most one open request. */
  public static final int MAX_USERS = 1_000_000;

  private final int users;
  private final Distribution think;
  private LoadContext ctx;
  private SplittableRandom random;
  private User[] all;

  public ClosedLoop(int users, Distribution think) {
    if (users < 1 || users > MAX_USERS) {
      throw new IllegalArgumentException("users must be between 1 and " + MAX_USERS + ", not " + users);
    }
    this.users = users;
    this.think = think;
  }

  private final class User implements Runnable {
    final int id;

    User(int id) {
      this.id = id;
    }

    @Override
    public void run() {
      if (ctx.clock().nanos() < ctx.until()) {
        ctx.sink().send(ctx.requests().next(id));
      }
    }
  }

  @Override
  public void start(LoadContext context) {
    this.ctx = context;
    this.random = context.streams().stream("think");
    this.all = new User[users];
    for (int i = 0; i < users; i++) {
      all[i] = new User(i);
      ctx.clock().at(ctx.from() + Math.round(think.sample(random)), all[i]);
    }
  }

  @Override
  public void answered(Request r) {
    if (r.user() >= 0 && r.user() < users) {
      long at = ctx.clock().nanos() + Math.round(think.sample(random));
      if (at < ctx.until()) {
        ctx.clock().at(at, all[r.user()]);
      }
    }
  }

  @Override
  public String describe() {
    return users + " users thinking " + think + " (mean " + Units.format(think.mean()) + ")";
  }
}
