package io.manifold.core.app;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Heroku's Common Runtime dyno sizes (../shared/HEROKU.md 2.5) and the legacy names the CLI still
 * sends. Manifold does not limit a process to its size; the size is kept, shown, and sets the
 * memory quota against which the dyno manager logs R14 and R15.
 */
public record DynoSize(String name, int memoryMb) {
  public static final List<DynoSize> ALL = List.of(
      new DynoSize("Eco", 512),
      new DynoSize("Basic", 512),
      new DynoSize("Standard-1X", 512),
      new DynoSize("Standard-2X", 1024),
      new DynoSize("Performance-M", 2560),
      new DynoSize("Performance-L", 14336),
      new DynoSize("Performance-L-RAM", 30720),
      new DynoSize("Performance-XL", 63488),
      new DynoSize("Performance-2XL", 129024));

  /** By name, ignoring case, with Heroku's legacy names: free, hobby, 1X, 2X, standard-1x, ... */
  public static Optional<DynoSize> find(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    String canonical = switch (n) {
      case "free" -> "eco";
      case "hobby" -> "basic";
      case "1x" -> "standard-1x";
      case "2x" -> "standard-2x";
      case "px", "performance" -> "performance-l";
      default -> n;
    };
    return ALL.stream().filter(s -> s.name().toLowerCase(Locale.ROOT).equals(canonical)).findFirst();
  }

  public static String names() {
    return String.join(", ", ALL.stream().map(DynoSize::name).toList());
  }
}
