package io.manifold.sim.live;

import io.manifold.core.dyno.DynoName;
import io.manifold.sim.dist.Units;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * The faults a scenario injects into synthetic apps, by app and by dyno ({@code web.3}) or process
 * type ({@code web}, every dyno of it). One table for the whole manifold: every node's
 * {@link LiveSyntheticRuntime} attaches to it, so that a fault on {@code web.3} holds wherever
 * {@code web.3} runs, through restarts and moves to another node, until it is healed. A fault set
 * again on the same app, dyno and kind replaces the earlier one; one on a dyno wins over one on its
 * type.
 *
 * <ul>
 *   <li>{@link #slow}: every request that starts service takes {@code extra} longer (it holds its
 *       slot the while, so the dyno's queue grows as a slow dyno's does).
 *   <li>{@link #errors}: that share of requests is answered 500, in place of {@code SYNTHETIC_ERRORS}.
 *   <li>{@link #hang}: requests are taken, and their answers held (each keeping its slot) until the
 *       hang is healed; the router answers them H12 meanwhile.
 *   <li>{@link #crash}: the dynos running now exit 1; the {@code Dyno} restarts them with Heroku's
 *       back-off. A moment, not a state: nothing to heal.
 *   <li>{@link #crashLoop}: every launch exits 1 when its boot is over, before it listens, until
 *       healed ({@code starting -> crashed}, Heroku's back-off between attempts).
 *   <li>{@link #leak}: every request served adds that many bytes to the dyno's memory, on top of
 *       {@code SYNTHETIC_MEMORY}; the dyno manager reports R14, then R15 and kills it. A restart
 *       starts from the app's memory again, and leaks again while the fault holds.
 * </ul>
 *
 * <p>Each fault method returns a {@link Heal} that ends that fault (and no later one set in its
 * place); {@link #heal} ends a fault by its name, {@link #healAll} every fault. At most
 * {@value #MAX_FAULTS} faults hold at once; one more is refused with an
 * {@link IllegalStateException}. Thread-safe.
 */
public final class SyntheticFaults {
  public static final int MAX_FAULTS = 1000;

  private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  public enum Kind { SLOW, ERRORS, HANG, CRASH_LOOP, LEAK }

  /** Ends one fault; again, it does nothing. */
  @FunctionalInterface
  public interface Heal {
    void heal();
  }

  /**
   * A fault in force.
   *
   * @param target a dyno ({@code web.3}) or a process type ({@code web})
   * @param value the fault's figure as written: {@code 500ms}, {@code 20%}, {@code 1048576B}, or empty
   */
  public record Active(String app, String target, Kind kind, String value) {}

  private record Key(String app, String target, Kind kind) {}

  /** One setting of a fault; its identity tells a heal whether the fault is still its own. */
  private static final class Entry {
    final long bits;

    Entry(long bits) {
      this.bits = bits;
    }
  }

  private final Map<Key, Entry> table = new ConcurrentHashMap<>();
  private final List<LiveSyntheticRuntime> runtimes = new CopyOnWriteArrayList<>();

  public Heal slow(String app, String dyno, Duration extra) {
    if (extra.isNegative()) {
      throw new IllegalArgumentException("a slow dyno's extra time must not be negative, not " + extra);
    }
    return put(app, dyno, Kind.SLOW, extra.toNanos());
  }

  /** @param share 0..1 */
  public Heal errors(String app, String dyno, double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("an error share must be from 0 to 1, not " + share);
    }
    return put(app, dyno, Kind.ERRORS, Double.doubleToLongBits(share));
  }

  public Heal hang(String app, String dyno) {
    return put(app, dyno, Kind.HANG, 1);
  }

  public Heal crashLoop(String app, String dyno) {
    return put(app, dyno, Kind.CRASH_LOOP, 1);
  }

  public Heal leak(String app, String dyno, long bytesPerRequest) {
    if (bytesPerRequest < 0) {
      throw new IllegalArgumentException("a leak must not be negative, not " + bytesPerRequest);
    }
    return put(app, dyno, Kind.LEAK, bytesPerRequest);
  }

  /**
   * Crashes (exit 1) the dynos of {@code app} that {@code dyno} names and that run now, on every
   * node; returns how many there were.
   */
  public int crash(String app, String dyno) {
    check(app, dyno);
    int n = 0;
    for (LiveSyntheticRuntime r : runtimes) {
      n += r.crash(app, dyno);
    }
    return n;
  }

  /** Ends the fault of that kind set on exactly that app and dyno (or type), if any. */
  public void heal(String app, String dyno, Kind kind) {
    if (table.remove(new Key(app, dyno, kind)) != null) {
      changed();
    }
  }

  /** Ends every fault: what a scenario does when it ends, however it ends. */
  public void healAll() {
    if (!table.isEmpty()) {
      table.clear();
      changed();
    }
  }

  /** Whether a dyno of {@code app} that {@code dyno} names runs now on any attached node. */
  public boolean runs(String app, String dyno) {
    return runtimes.stream().anyMatch(r -> r.runs(app, dyno));
  }

  /** What every synthetic dyno of the manifold is doing now (every attached node's). */
  public List<SyntheticDynoView> dynos() {
    List<SyntheticDynoView> out = new ArrayList<>();
    runtimes.forEach(r -> out.addAll(r.dynos()));
    out.sort(Comparator.comparing(SyntheticDynoView::app).thenComparing(SyntheticDynoView::dyno));
    return out;
  }

  /** The faults in force, by app, target and kind. */
  public List<Active> active() {
    List<Active> out = new ArrayList<>();
    table.forEach((k, e) -> out.add(new Active(k.app(), k.target(), k.kind(), describe(k.kind(), e.bits))));
    out.sort(Comparator.comparing(Active::app).thenComparing(Active::target).thenComparing(Active::kind));
    return out;
  }

  private Heal put(String app, String dyno, Kind kind, long bits) {
    check(app, dyno);
    Key key = new Key(app, dyno, kind);
    Entry entry = new Entry(bits);
    synchronized (table) {
      if (table.size() >= MAX_FAULTS && !table.containsKey(key)) {
        throw new IllegalStateException("more than " + MAX_FAULTS + " faults at once");
      }
      table.put(key, entry);
    }
    changed();
    return () -> {
      if (table.remove(key, entry)) {
        changed();
      }
    };
  }

  private static void check(String app, String dyno) {
    if (app == null || app.isBlank()) {
      throw new IllegalArgumentException("a fault needs an app");
    }
    if (dyno == null || (DynoName.parseOrNull(dyno) == null && !TYPE.matcher(dyno).matches())) {
      throw new IllegalArgumentException("expected a dyno (web.3) or a process type (web), found '" + dyno + "'");
    }
  }

  private static String describe(Kind kind, long bits) {
    return switch (kind) {
      case SLOW -> Units.format(bits);
      case ERRORS -> Units.trimNumber(Double.longBitsToDouble(bits) * 100) + "%";
      case LEAK -> bits + "B";
      case HANG, CRASH_LOOP -> "";
    };
  }

  private void changed() {
    runtimes.forEach(LiveSyntheticRuntime::faultsChanged);
  }

  // --- for the runtimes, on their loop threads ---

  void attach(LiveSyntheticRuntime runtime) {
    runtimes.add(runtime);
  }

  void detach(LiveSyntheticRuntime runtime) {
    runtimes.remove(runtime);
  }

  /** Whether {@code target} (a dyno or a process type) names {@code name}. */
  static boolean matches(String target, DynoName name) {
    return target.equals(name.type()) || target.equals(name.toString());
  }

  private Entry find(String app, DynoName name, Kind kind) {
    if (table.isEmpty()) {
      return null;
    }
    Entry e = table.get(new Key(app, name.toString(), kind));
    return e != null ? e : table.get(new Key(app, name.type(), kind));
  }

  long slowNanos(String app, DynoName name) {
    Entry e = find(app, name, Kind.SLOW);
    return e == null ? 0 : e.bits;
  }

  double errorShare(String app, DynoName name, double otherwise) {
    Entry e = find(app, name, Kind.ERRORS);
    return e == null ? otherwise : Double.longBitsToDouble(e.bits);
  }

  boolean hung(String app, DynoName name) {
    return find(app, name, Kind.HANG) != null;
  }

  boolean crashLooping(String app, DynoName name) {
    return find(app, name, Kind.CRASH_LOOP) != null;
  }

  long leakBytes(String app, DynoName name) {
    Entry e = find(app, name, Kind.LEAK);
    return e == null ? 0 : e.bits;
  }
}
