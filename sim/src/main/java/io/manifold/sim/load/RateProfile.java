package io.manifold.sim.load;

import java.util.ArrayList;
import java.util.List;

/**
 * An arrival rate over time: segments that hold a rate or ramp linearly from one rate to another;
 * after the last segment its final rate goes on. Rates in requests per second.
 */
public final class RateProfile {

  /** {@code durationNanos} long, from {@code from} to {@code to} requests per second. */
  public record Segment(long durationNanos, double from, double to) {
    public Segment {
      if (durationNanos <= 0 || !(from >= 0) || !(to >= 0) || !Double.isFinite(from) || !Double.isFinite(to)) {
        throw new IllegalArgumentException("a rate segment needs a duration above zero and rates >= 0");
      }
    }
  }

  private final List<Segment> segments;
  private final long[] starts;

  public RateProfile(List<Segment> segments) {
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("a rate profile needs at least one segment");
    }
    this.segments = List.copyOf(segments);
    this.starts = new long[segments.size()];
    long t = 0;
    for (int i = 0; i < segments.size(); i++) {
      starts[i] = t;
      t += segments.get(i).durationNanos();
    }
  }

  /** One rate, for ever. */
  public static RateProfile constant(double perSecond) {
    return new RateProfile(List.of(new Segment(Long.MAX_VALUE / 4, perSecond, perSecond)));
  }

  public List<Segment> segments() {
    return segments;
  }

  int size() {
    return segments.size();
  }

  /** Where segment {@code i} starts, in nanoseconds from the profile's start. */
  long start(int i) {
    return starts[i];
  }

  /** Where segment {@code i} ends; the last one never does. */
  long end(int i) {
    return i == segments.size() - 1 ? Long.MAX_VALUE : starts[i] + segments.get(i).durationNanos();
  }

  /** The rate at {@code t} nanoseconds into segment {@code i}, per second. */
  double rate(int i, long t) {
    Segment s = segments.get(i);
    if (s.from() == s.to() || i == segments.size() - 1 && t >= s.durationNanos()) {
      return s.to();
    }
    double f = Math.min(1.0, (double) t / s.durationNanos());
    return s.from() + (s.to() - s.from()) * f;
  }

  double max(int i) {
    Segment s = segments.get(i);
    return Math.max(s.from(), s.to());
  }

  /** The highest rate anywhere, per second. */
  public double peak() {
    double m = 0;
    for (Segment s : segments) {
      m = Math.max(m, Math.max(s.from(), s.to()));
    }
    return m;
  }

  @Override
  public String toString() {
    if (segments.size() == 1 && segments.get(0).from() == segments.get(0).to()) {
      return format(segments.get(0).from());
    }
    List<String> parts = new ArrayList<>();
    for (Segment s : segments) {
      parts.add(io.manifold.sim.dist.Units.format(s.durationNanos()) + " at "
          + (s.from() == s.to() ? format(s.from()) : format(s.from()) + "->" + format(s.to())));
    }
    return String.join(", ", parts);
  }

  static String format(double perSecond) {
    return io.manifold.sim.dist.Units.trimNumber(perSecond) + "/s";
  }
}
