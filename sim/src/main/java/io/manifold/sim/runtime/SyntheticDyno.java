package io.manifold.sim.runtime;

import io.manifold.core.dyno.DynoRuntime;
import io.manifold.core.dyno.Endpoint;
import io.manifold.core.routing.HCode;
import io.manifold.sim.time.SimClock;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.random.RandomGenerator;

/**
 * One incarnation of a synthetic dyno: the "process" a {@link SyntheticRuntime} starts. It boots,
 * listens at its endpoint on the {@link SimNetwork}, and serves {@link Call}s: up to
 * {@code concurrency} at once, the others waiting in a FIFO queue of at most {@code backlog}, so
 * that the time a request waits at the dyno is measured apart from its service time.
 *
 * <p>SIGTERM stops it listening and lets it finish what it has (exit 143); SIGKILL loses every
 * request it holds (exit 137). Everything runs on the clock's thread; {@link #terminate} and
 * {@link #kill}, which the {@code Dyno} actor calls from its own thread, hop onto it.
 */
public final class SyntheticDyno implements DynoRuntime.Running {

  private enum State { BOOTING, LISTENING, DRAINING, GONE }

  private final SimClock clock;
  private final SimNetwork network;
  private final ServiceModel model;
  private final Endpoint endpoint;
  private final RandomGenerator random;
  private final DynoRuntime.Output output;
  private final CompletableFuture<Endpoint> bound = new CompletableFuture<>();
  private final CompletableFuture<Integer> exited = new CompletableFuture<>();
  /** Requests waiting for a slot, oldest first; at most {@code backlog}. */
  private final ArrayDeque<Call> queue = new ArrayDeque<>();
  /** One per request served at once; a slot is its own completion event, so serving allocates nothing. */
  private final Slot[] slots;
  private final int[] free;
  private int freeCount;
  private State state = State.BOOTING;
  private long memory;
  private long served;

  /** Serving one request: the slot is scheduled on the clock for the moment the service ends. */
  private final class Slot implements Runnable {
    final int index;
    Call call;

    Slot(int index) {
      this.index = index;
    }

    @Override
    public void run() {
      completed(this);
    }
  }

  SyntheticDyno(SimClock clock, SimNetwork network, ServiceModel model, Endpoint endpoint,
      RandomGenerator random, DynoRuntime.Output output) {
    this.clock = clock;
    this.network = network;
    this.model = model;
    this.endpoint = endpoint;
    this.random = random;
    this.output = output;
    int c = model.concurrency();
    this.slots = new Slot[c];
    this.free = new int[c];
    for (int i = 0; i < c; i++) {
      slots[i] = new Slot(i);
      free[i] = c - 1 - i;
    }
    this.freeCount = c;
    this.memory = model.memory() == null ? 0 : model.memory().startBytes();
    long boot = Math.round(model.boot().sample(random));
    clock.after(boot, this::listen);
  }

  private void listen() {
    if (state != State.BOOTING) {
      return;
    }
    state = State.LISTENING;
    network.bind(endpoint, this);
    output.line("listening on port " + endpoint.port());
    bound.complete(endpoint);
  }

  // --- serving ---

  /** A request arrives from the router. On the clock's thread. */
  public void accept(Call call) {
    if (state != State.LISTENING) {
      call.lost(HCode.H21, clock.nanos()); // not listening (any more): the connection is refused
    } else if (freeCount > 0) {
      start(call);
    } else if (queue.size() < model.backlog()) {
      queue.addLast(call);
    } else {
      call.lost(HCode.H11, clock.nanos());
    }
  }

  private void start(Call call) {
    Slot slot = slots[free[--freeCount]];
    slot.call = call;
    long now = clock.nanos();
    long service = call.serviceDemand();
    if (service < 0) {
      service = Math.round(model.service().sample(random));
    }
    call.started(now, service);
    clock.at(now + service, slot);
  }

  private void completed(Slot slot) {
    if (state == State.GONE) {
      return; // killed while serving: the request was lost then
    }
    Call call = slot.call;
    slot.call = null;
    free[freeCount++] = slot.index;
    served++;
    // the next in line takes the slot before the answer goes out, so that a router that reacts to
    // the answer sees this dyno as busy as it really is
    if (!queue.isEmpty()) {
      start(queue.pollFirst());
    }
    call.answered(call.fails() ? 500 : 200, clock.nanos());
    ServiceModel.Memory m = model.memory();
    if (m != null) {
      memory += m.bytesPerRequest();
      if (memory > m.killBytes()) {
        output.line("Error R15 (Memory quota vastly exceeded): " + (memory >> 20) + "MB");
        die(137);
        return;
      }
    }
    if (state == State.DRAINING && freeCount == slots.length && queue.isEmpty()) {
      exit(143);
    }
  }

  /** Requests being served or waiting here now. */
  public int load() {
    return slots.length - freeCount + queue.size();
  }

  public long served() {
    return served;
  }

  /**
   * What its memory model says it uses. Not reported as {@link #memoryBytes()}: in virtual time the
   * dyno enforces its own kill limit, and the dyno manager's R14/R15 check stays out of the studies.
   */
  public long memoryUsed() {
    return memory;
  }

  public Endpoint endpoint() {
    return endpoint;
  }

  // --- DynoRuntime.Running ---

  @Override
  public CompletionStage<Endpoint> bound() {
    return bound;
  }

  @Override
  public CompletionStage<Integer> exited() {
    return exited;
  }

  @Override
  public void terminate() {
    clock.post(() -> {
      if (state == State.BOOTING) {
        state = State.GONE;
        exit(143);
      } else if (state == State.LISTENING) {
        state = State.DRAINING;
        network.unbind(endpoint, this);
        if (freeCount == slots.length && queue.isEmpty()) {
          exit(143);
        }
      }
    });
  }

  @Override
  public void kill() {
    clock.post(() -> die(137));
  }

  @Override
  public int port() {
    return endpoint.port();
  }

  /**
   * The machine under it goes away: every request it holds is lost, and nobody hears of an exit
   * (a dead node reports nothing; the cluster finds out later). On the clock's thread.
   */
  void powerOff() {
    die(-1);
  }

  boolean isGone() {
    return state == State.GONE;
  }

  /** @param status the exit status to report, or -1 to report none */
  private void die(int status) {
    if (state == State.GONE) {
      return;
    }
    state = State.GONE;
    network.unbind(endpoint, this);
    long now = clock.nanos();
    for (Slot slot : slots) {
      if (slot.call != null) {
        Call call = slot.call;
        slot.call = null;
        call.lost(HCode.H13, now);
      }
    }
    while (!queue.isEmpty()) {
      queue.pollFirst().lost(HCode.H13, now);
    }
    if (status >= 0) {
      exit(status);
    }
  }

  private void exit(int status) {
    state = State.GONE;
    network.unbind(endpoint, this);
    exited.complete(status);
  }
}
